/**
 * JSON with object keys sorted at every depth, so two bodies that differ only in key order give
 * the same text (and the same fingerprint). Array order is kept: it is meaningful. Values that
 * JSON.stringify drops (undefined, functions) are dropped the same way.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  // Dates and other objects with toJSON serialise as themselves, not as their (empty) own keys.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return Object.fromEntries(entries.map(([key, inner]) => [key, sortKeys(inner)]));
}
