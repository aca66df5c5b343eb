import { randomUUID } from 'node:crypto';
import { InvalidMessageError } from '../invalid-message.error';
import type { OutgoingMessage } from '../message-publisher.port';
import type { WireRecord } from '../wire-record';
import { cloudEventsSpecVersion, envelopeHeaders, jsonContentType } from './envelope-headers';
import { currentTraceContext } from './trace-context';

/** What a consumer reads from a record's envelope before its payload is checked against a schema. */
export interface ReceivedEnvelope {
  id: string;
  type: string;
  source: string;
  subject: string | undefined;
  time: string | undefined;
  key: string;
  data: unknown;
  correlationId: string | undefined;
  traceparent: string | undefined;
  tracestate: string | undefined;
}

/** The record for a message: the key is the aggregate id, the value its JSON data, the attributes headers. */
export function toKafkaMessage(message: OutgoingMessage): WireRecord {
  const time = message.time === undefined ? new Date() : new Date(message.time);
  const trace = message.traceparent
    ? { traceparent: message.traceparent, tracestate: message.tracestate }
    : currentTraceContext();
  const headers: Record<string, string> = {
    [envelopeHeaders.specVersion]: cloudEventsSpecVersion,
    [envelopeHeaders.id]: message.id ?? randomUUID(),
    [envelopeHeaders.type]: message.type,
    [envelopeHeaders.source]: message.source,
    [envelopeHeaders.time]: time.toISOString(),
    [envelopeHeaders.subject]: message.key,
    [envelopeHeaders.contentType]: jsonContentType,
  };
  if (trace.traceparent) headers[envelopeHeaders.traceparent] = trace.traceparent;
  if (trace.tracestate) headers[envelopeHeaders.tracestate] = trace.tracestate;
  if (message.correlationId) headers[envelopeHeaders.correlationId] = message.correlationId;
  return { key: message.key, value: Buffer.from(JSON.stringify(message.data ?? null)), headers };
}

/** The envelope of a record; throws InvalidMessageError naming what is missing or unparsable. */
export function fromKafkaMessage(record: WireRecord): ReceivedEnvelope {
  const header = (name: string) => record.headers[name];
  const required = (name: string) => {
    const value = header(name);
    if (!value) throw new InvalidMessageError(`header ${name} is missing`);
    return value;
  };
  const specVersion = required(envelopeHeaders.specVersion);
  if (specVersion !== cloudEventsSpecVersion)
    throw new InvalidMessageError(
      `${envelopeHeaders.specVersion} ${specVersion} is not ${cloudEventsSpecVersion}`,
    );
  const contentType = required(envelopeHeaders.contentType);
  if (contentType.split(';')[0]?.trim() !== jsonContentType)
    throw new InvalidMessageError(`content-type ${contentType} is not ${jsonContentType}`);
  if (record.key === null || record.key === '') throw new InvalidMessageError('the record has no key');
  if (record.value === null) throw new InvalidMessageError('the record has no value');
  let data: unknown;
  try {
    data = JSON.parse(record.value.toString('utf8'));
  } catch (error) {
    throw new InvalidMessageError(
      `the value is not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return {
    id: required(envelopeHeaders.id),
    type: required(envelopeHeaders.type),
    source: required(envelopeHeaders.source),
    subject: header(envelopeHeaders.subject),
    time: header(envelopeHeaders.time),
    key: record.key,
    data,
    correlationId: header(envelopeHeaders.correlationId),
    traceparent: header(envelopeHeaders.traceparent),
    tracestate: header(envelopeHeaders.tracestate),
  };
}
