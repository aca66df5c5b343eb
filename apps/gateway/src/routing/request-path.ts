import { ProblemException } from '@platform/http';
import type { HttpMethod, Route, UpstreamName } from './route-table';

export type PathResolution =
  | {
      kind: 'routed';
      upstream: UpstreamName;
      /** The operation's path template, e.g. `/api/orders/{orderId}`: a bounded metrics label. */
      pattern: string;
      /** The request target (path and query) as the upstream gets it. */
      upstreamTarget: string;
      /** The methods the path answers. */
      methods: readonly HttpMethod[];
      role?: 'admin';
    }
  /** One of the gateway's own operations: its controllers answer it. */
  | { kind: 'own'; pattern: string; methods: readonly HttpMethod[] }
  | { kind: 'unrouted' }
  /** Dot segments, empty segments, backslashes or broken percent-encoding: refused before any routing. */
  | { kind: 'unsafe' };

/**
 * Which operation of the table a request target (path and query, as received) is, and who answers
 * it. Paths that an upstream or a proxy might normalise into something else (`/api/auth/../healthz`,
 * `/api/auth/%2e%2e/metrics`, `//`) are refused rather than normalised, so the table is the only
 * way in. A trailing slash is ignored, as the upstreams' routers ignore it.
 */
export function resolvePath(target: string, table: readonly Route[]): PathResolution {
  const path = target.split('?')[0] ?? '';
  if (!isSafePath(path)) return { kind: 'unsafe' };
  const segments = segmentsOf(path);
  for (const { route, pattern, template, methods } of operationsOf(table)) {
    if (!matches(template, segments)) continue;
    if (route.upstream === 'gateway') return { kind: 'own', pattern, methods };
    const upstreamTarget =
      route.rewrite && target.startsWith(route.rewrite.from)
        ? `${route.rewrite.to}${target.slice(route.rewrite.from.length)}`
        : target;
    return {
      kind: 'routed',
      upstream: route.upstream,
      pattern,
      upstreamTarget,
      methods,
      ...(route.role === undefined ? {} : { role: route.role }),
    };
  }
  return { kind: 'unrouted' };
}

interface Operation {
  route: Route;
  pattern: string;
  /** The pattern's segments, split once per table rather than per request. */
  template: string[];
  methods: readonly HttpMethod[];
}

const operationsOfTable = new WeakMap<readonly Route[], Operation[]>();

/** The table's operations in order, each pattern split into segments once. */
function operationsOf(table: readonly Route[]): Operation[] {
  let operations = operationsOfTable.get(table);
  if (!operations) {
    operations = table.flatMap((route) =>
      Object.entries(route.operations).map(([pattern, methods]) => ({
        route,
        pattern,
        template: segmentsOf(pattern),
        methods,
      })),
    );
    operationsOfTable.set(table, operations);
  }
  return operations;
}

/** What the `Allow` header of a path lists: its methods, and HEAD wherever GET is (HEAD is GET without the body). */
export function allowedMethodsOf(methods: readonly HttpMethod[]): string[] {
  return methods.includes('GET') ? [...methods, 'HEAD'] : [...methods];
}

/** The 405 of a method the path does not answer, with the `Allow` header RFC 9110 asks for. */
export function methodNotAllowed(method: string, methods: readonly HttpMethod[]): ProblemException {
  const allowed = allowedMethodsOf(methods).join(', ');
  return new ProblemException({
    status: 405,
    type: 'method-not-allowed',
    detail: `This path does not answer ${method}; it answers ${allowed}.`,
    headers: { Allow: allowed },
  });
}

function segmentsOf(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/').slice(1);
}

/** A template's `{name}` segment matches any one segment (never an empty one); others match exactly. */
function matches(template: string[], segments: string[]): boolean {
  return (
    template.length === segments.length &&
    template.every((part, index) =>
      part.startsWith('{') && part.endsWith('}') ? segments[index] !== '' : part === segments[index],
    )
  );
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
