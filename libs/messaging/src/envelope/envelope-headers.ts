/** CloudEvents 1.0, Kafka protocol binding, binary mode: attributes travel as `ce_*` headers. */
export const envelopeHeaders = {
  specVersion: 'ce_specversion',
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  time: 'ce_time',
  subject: 'ce_subject',
  contentType: 'content-type',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  correlationId: 'correlation-id',
} as const;

export const cloudEventsSpecVersion = '1.0';
export const jsonContentType = 'application/json';
