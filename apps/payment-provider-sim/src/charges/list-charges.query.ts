/**
 * The `metadata[key]=value` filters of `GET /v1/charges?metadata[orderId]=…`. Express 5 parses query
 * strings flat, so each filter arrives as a key named `metadata[orderId]`.
 */
export function metadataFilterOf(query: Record<string, unknown>): Record<string, string> {
  const filter: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    const key = /^metadata\[(.+)\]$/.exec(name)?.[1];
    if (key !== undefined && typeof value === 'string') filter[key] = value;
  }
  return filter;
}
