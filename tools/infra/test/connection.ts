import { connectionEnv } from '../src/connection-env.ts';

/** Where the tests find the servers: an explicit variable wins, else the ports `infra:up` used. */
const defaults = connectionEnv();
export const connection = Object.fromEntries(
  Object.entries(defaults).map(([name, fallback]) => [name, process.env[name] || fallback]),
) as Record<
  | 'KAFKA_BROKERS'
  | 'MONGO_URL'
  | 'CASSANDRA_CONTACT_POINTS'
  | 'REDIS_URL'
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'JAEGER_QUERY_URL'
  | 'TOXIPROXY_URL',
  string
>;

/** A name no earlier run used, so tests never see each other's data and need no clean-up between runs. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
