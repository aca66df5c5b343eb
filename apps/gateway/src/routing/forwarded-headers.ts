import type { IncomingHttpHeaders } from 'node:http';

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus `host`: never forwarded. */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'proxy-connection',
]);

/**
 * The trace context is re-injected by the undici instrumentation from the gateway's own span
 * (a child of the caller's); forwarding the caller's as well would send two `traceparent`s.
 */
const traceContext = new Set(['traceparent', 'tracestate', 'baggage']);

export type HeaderMap = Record<string, string | string[]>;

function isHopByHop(name: string, listedInConnection: ReadonlySet<string>): boolean {
  return hopByHop.has(name) || name.startsWith('proxy-') || listedInConnection.has(name);
}

const noTokens: ReadonlySet<string> = new Set();
/** The tokens of the `Connection` values seen last (`keep-alive` on nearly every answer), parsed once each. */
const tokensOfValue = new Map<string, ReadonlySet<string>>();
const valuesKept = 32;

/** Header names that a `Connection` header declares hop-by-hop for this message. */
function connectionTokens(connection: string | string[] | undefined): ReadonlySet<string> {
  if (connection === undefined) return noTokens;
  const value = Array.isArray(connection) ? connection.join(',') : connection;
  let tokens = tokensOfValue.get(value);
  if (!tokens) {
    tokens = new Set(
      value
        .split(',')
        .map((token) => token.trim().toLowerCase())
        .filter(Boolean),
    );
    if (tokensOfValue.size >= valuesKept) tokensOfValue.clear();
    tokensOfValue.set(value, tokens);
  }
  return tokens;
}

export interface ForwardingContext {
  clientAddress: string;
  protocol: string;
  requestId: string;
}

/** What the gateway sends upstream: the client's end-to-end headers, plus who asked and through what. */
export function requestHeadersForUpstream(
  incoming: IncomingHttpHeaders,
  context: ForwardingContext,
): HeaderMap {
  const listed = connectionTokens(incoming.connection);
  const headers: HeaderMap = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || isHopByHop(name, listed) || traceContext.has(name)) continue;
    headers[name] = value;
  }
  // Appended, never replaced: what the client claims stays visible but the address the gateway saw is last.
  const claimed = incoming['x-forwarded-for'];
  const chain = (Array.isArray(claimed) ? claimed.join(', ') : claimed)?.trim();
  headers['x-forwarded-for'] = chain ? `${chain}, ${context.clientAddress}` : context.clientAddress;
  headers['x-forwarded-proto'] = context.protocol;
  headers['x-request-id'] = context.requestId;
  return headers;
}

/**
 * What the gateway answers with from the upstream's headers. Its own `X-Request-Id`, `X-Trace-Id`
 * and rate-limit headers are already set and stay authoritative.
 */
const gatewayOwned = new Set(['x-request-id', 'x-trace-id', 'ratelimit', 'ratelimit-policy']);

export function responseHeadersFromUpstream(
  upstream: Record<string, string | string[] | undefined>,
): HeaderMap {
  const listed = connectionTokens(upstream['connection']);
  const headers: HeaderMap = {};
  for (const [name, value] of Object.entries(upstream)) {
    const lower = name.toLowerCase();
    if (value === undefined || isHopByHop(lower, listed) || gatewayOwned.has(lower)) continue;
    headers[lower] = value;
  }
  return headers;
}
