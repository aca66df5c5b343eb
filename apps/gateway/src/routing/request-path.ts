import type { Route, UpstreamName } from './route-table';

export type PathResolution =
  | {
      kind: 'routed';
      upstream: UpstreamName;
      pattern: string;
      /** The request target (path and query) as the upstream gets it. */
      upstreamTarget: string;
      role?: 'admin';
    }
  | { kind: 'unrouted' }
  /** Dot segments, empty segments, backslashes or broken percent-encoding: refused before any routing. */
  | { kind: 'unsafe' };

/**
 * Which upstream serves a request target (path and query, as received). Paths that an upstream or
 * a proxy might normalise into something else (`/api/auth/../healthz`, `/api/auth/%2e%2e/metrics`,
 * `//`) are refused rather than normalised, so the table is the only way in.
 */
export function resolvePath(target: string, table: readonly Route[]): PathResolution {
  const path = target.split('?')[0] ?? '';
  if (!isSafePath(path)) return { kind: 'unsafe' };
  for (const route of table) {
    const role = route.role === undefined ? {} : { role: route.role };
    if ('path' in route) {
      if (path === route.path)
        return {
          kind: 'routed',
          upstream: route.upstream,
          pattern: route.path,
          upstreamTarget: target,
          ...role,
        };
    } else if (path === route.prefix || path.startsWith(`${route.prefix}/`)) {
      const upstreamTarget =
        route.upstreamPrefix === undefined
          ? target
          : `${route.upstreamPrefix}${target.slice(route.prefix.length)}`;
      return {
        kind: 'routed',
        upstream: route.upstream,
        pattern: `${route.prefix}/*`,
        upstreamTarget,
        ...role,
      };
    }
  }
  return { kind: 'unrouted' };
}

function isSafePath(path: string): boolean {
  if (!path.startsWith('/')) return false;
  let decoded: string;
  try {
    // Twice, so that a double-encoded `%252e%252e` is seen as the `..` some servers turn it into.
    decoded = decodeURIComponent(decodeURIComponent(path));
  } catch {
    return false;
  }
  if (decoded.includes('\\') || decoded.includes('\0')) return false;
  const segments = decoded.split('/').slice(1);
  // An empty last segment is a trailing slash; any other empty segment is `//`.
  return segments.every(
    (segment, index) =>
      segment !== '.' && segment !== '..' && (segment !== '' || index === segments.length - 1),
  );
}
