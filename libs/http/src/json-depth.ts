/** Deeper than any body of the API (a few levels); far below what recursive code can walk safely. */
export const maxJsonDepth = 32;

/** How deep a parsed JSON value nests, counted without recursion, stopping once past `limit`. */
export function jsonDepthOf(value: unknown, limit = maxJsonDepth): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop() as [unknown, number];
    if (current === null || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return deepest;
}
