import {
  type Context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import { RPCType, type RPCMetadata, setRPCMetadata } from '@opentelemetry/core';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** The tracer of the server spans apps start, taken once; none where the instrumentation starts them. */
let serverSpanTracer: Tracer | undefined;

/** Called by startTracing: whether apps start their HTTP server spans (`httpServerSpans: false`). */
export function appsStartServerSpans(yes: boolean): void {
  serverSpanTracer = yes ? trace.getTracer('@platform/observability') : undefined;
}

/** The request's server span and where its route goes, for those who name it (httpServerMetrics). */
type HttpRpcMetadata = Extract<RPCMetadata, { type: RPCType.HTTP }>;

/**
 * Serves one request of a server whose listener the app installs itself: with `take` when it
 * answers the request (true), else with `otherwise`. Where the app starts its own HTTP server spans
 * (tracing started with `httpServerSpans: false`, as the gateway does), both run in the request's
 * span, started here; elsewhere the http instrumentation has already started it.
 *
 * Why an app would start its own: the instrumentation binds each request's and response's event
 * emitters to the request's context, so that every listener anyone adds runs in it. Without it the
 * gateway spends about a fifth less CPU per proxied request (docs/benchmark.md). `take` needs none
 * of it: its work goes on through awaits, which keep their context, and the listeners that read the
 * context (the request line, the RED metrics, the admin audit) capture it when they are added
 * (`inThisContext`). `otherwise` (Express and Nest) goes on from the request's events, so its
 * emitters are bound as before.
 */
export function serveInServerSpan(
  request: IncomingMessage,
  response: ServerResponse,
  take: (request: IncomingMessage, response: ServerResponse) => boolean,
  otherwise: RequestListener,
): void {
  if (!serverSpanTracer) {
    if (!take(request, response)) otherwise(request, response);
    return;
  }
  const requestContext = startServerSpan(serverSpanTracer, request, response);
  context.with(requestContext, () => {
    if (take(request, response)) return;
    context.bind(requestContext, request);
    context.bind(requestContext, response);
    otherwise(request, response);
  });
}

/**
 * The span the http instrumentation would start, with its stable attributes and name: the method,
 * then `METHOD route` with `http.route` once a route is known (set on the context's RPC metadata,
 * as the instrumentation reads it); `error.type` and an error status for a 5xx. It ends when the
 * response closes. The caller's `traceparent` makes it a child of the caller's span.
 */
function startServerSpan(tracer: Tracer, request: IncomingMessage, response: ServerResponse): Context {
  const method = request.method ?? 'GET';
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const span = tracer.startSpan(
    method,
    {
      kind: SpanKind.SERVER,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: method,
        [ATTR_URL_PATH]: query < 0 ? url : url.slice(0, query),
        [ATTR_URL_SCHEME]: (request.socket as TLSSocket).encrypted ? 'https' : 'http',
        [ATTR_NETWORK_PROTOCOL_VERSION]: request.httpVersion,
        [ATTR_CLIENT_ADDRESS]: request.socket.remoteAddress,
        [ATTR_USER_AGENT_ORIGINAL]: request.headers['user-agent'],
      },
    },
    parent,
  );
  const rpc: HttpRpcMetadata = { type: RPCType.HTTP, span };
  response.once('close', () => {
    const status = response.statusCode;
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (rpc.route !== undefined) {
      span.setAttribute(ATTR_HTTP_ROUTE, rpc.route);
      span.updateName(`${method} ${rpc.route}`);
    }
    if (status >= 500) {
      span.setAttribute(ATTR_ERROR_TYPE, String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  });
  return setRPCMetadata(trace.setSpan(parent, span), rpc);
}

/**
 * `listener`, run in the context this is called in, whatever context emits the event: for a
 * listener of a request's or response's events that reads the context (a log line's trace id, a
 * span's parent), since serveInServerSpan binds no emitters.
 */
export function inThisContext<Listener extends (...args: never[]) => unknown>(listener: Listener): Listener {
  return context.bind(context.active(), listener);
}
