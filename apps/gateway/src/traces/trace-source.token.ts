/** Nest injection token of the gateway's TraceSource (null where none is configured). */
export const TRACE_SOURCE = Symbol('TRACE_SOURCE');
