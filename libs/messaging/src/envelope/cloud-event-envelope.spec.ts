import { createTraceState, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InvalidMessageError } from '../invalid-message.error';
import { fromKafkaMessage, toKafkaMessage } from './cloud-event-envelope';
import { currentTraceContext, traceContextOf } from './trace-context';

const userId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const message = {
  topic: 'users.events.v1',
  type: 'platform.users.user-registered.v1',
  key: userId,
  data: { userId, email: 'ada@example.com', name: 'Ada' },
  source: 'auth',
};
const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

beforeAll(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
afterAll(() => propagation.disable());

describe('toKafkaMessage', () => {
  it('when a message is encoded, then the value is its JSON data and the attributes are ce_ headers', () => {
    const record = toKafkaMessage({
      ...message,
      id: 'event-1',
      time: new Date('2026-01-02T03:04:05Z'),
      correlationId: 'saga-1',
    });

    expect(record.key).toBe(userId);
    expect(JSON.parse(record.value!.toString())).toEqual(message.data);
    expect(record.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: 'event-1',
      ce_type: 'platform.users.user-registered.v1',
      ce_source: 'auth',
      ce_time: '2026-01-02T03:04:05.000Z',
      ce_subject: userId,
      'content-type': 'application/json',
      'correlation-id': 'saga-1',
    });
  });

  it('when no id or time is given, then a fresh UUID and the current time are used', () => {
    const record = toKafkaMessage(message);

    expect(record.headers['ce_id']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(Number.isNaN(Date.parse(record.headers['ce_time']!))).toBe(false);
  });

  it('when a traceparent is given, as an outbox stores it, then it is sent as it is', () => {
    const record = toKafkaMessage({ ...message, traceparent, tracestate: 'vendor=1' });

    expect(record.headers).toMatchObject({ traceparent, tracestate: 'vendor=1' });
  });

  it('when none is given and no span is active, then no trace header is sent', () => {
    expect(toKafkaMessage(message).headers).not.toHaveProperty('traceparent');
  });
});

describe('fromKafkaMessage', () => {
  it('when a record is decoded, then it gives back what was encoded', () => {
    const envelope = fromKafkaMessage(
      toKafkaMessage({ ...message, id: 'event-1', correlationId: 'saga-1', traceparent }),
    );

    expect(envelope).toMatchObject({
      id: 'event-1',
      type: message.type,
      source: 'auth',
      subject: userId,
      key: userId,
      data: message.data,
      correlationId: 'saga-1',
      traceparent,
    });
  });

  it('when a span is active, then its context is what a producer injects', () => {
    const spanContext = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
    };

    expect(currentTraceContext(trace.setSpanContext(ROOT_CONTEXT, spanContext))).toEqual({
      traceparent,
      tracestate: null,
    });
  });

  it('when the active span carries vendor state, then its tracestate is captured with it', () => {
    const spanContext = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.NONE,
      traceState: createTraceState('vendor=1,other=2'),
    };

    expect(currentTraceContext(trace.setSpanContext(ROOT_CONTEXT, spanContext))).toEqual({
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00',
      tracestate: 'vendor=1,other=2',
    });
  });

  it('when no span is active, then there is no trace context to carry', () => {
    expect(currentTraceContext(ROOT_CONTEXT)).toEqual({ traceparent: null, tracestate: null });
  });

  it('when the trace context is extracted, then it continues the producer trace', () => {
    const extracted = traceContextOf(fromKafkaMessage(toKafkaMessage({ ...message, traceparent })));

    expect(trace.getSpanContext(extracted)?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it.each([
    [
      'the value is not JSON',
      (record: ReturnType<typeof toKafkaMessage>) => ({ ...record, value: Buffer.from('{oops') }),
      /not JSON/,
    ],
    [
      'the value is missing',
      (record: ReturnType<typeof toKafkaMessage>) => ({ ...record, value: null }),
      /no value/,
    ],
    [
      'the key is missing',
      (record: ReturnType<typeof toKafkaMessage>) => ({ ...record, key: null }),
      /no key/,
    ],
    [
      'ce_type is missing',
      (record: ReturnType<typeof toKafkaMessage>) => ({
        ...record,
        headers: { ...record.headers, ce_type: '' },
      }),
      /ce_type is missing/,
    ],
    [
      'the spec version is another',
      (record: ReturnType<typeof toKafkaMessage>) => ({
        ...record,
        headers: { ...record.headers, ce_specversion: '0.3' },
      }),
      /0\.3 is not 1\.0/,
    ],
    [
      'the content type is not JSON',
      (record: ReturnType<typeof toKafkaMessage>) => ({
        ...record,
        headers: { ...record.headers, 'content-type': 'text/plain' },
      }),
      /text\/plain/,
    ],
  ])('when %s, then it throws InvalidMessageError with the reason', (_, breakRecord, reason) => {
    const broken = breakRecord(toKafkaMessage(message));

    expect(() => fromKafkaMessage(broken)).toThrow(InvalidMessageError);
    expect(() => fromKafkaMessage(broken)).toThrow(reason);
  });
});
