import { portFromEnv } from './recipe.ts';

/** Default ports of the local infrastructure; each can be moved with the variable of the same name. */
export const defaultPorts = {
  REDIS_PORT: 6379,
  KAFKA_PORT: 9092,
  KAFKA_CONTROLLER_PORT: 9093,
  CASSANDRA_PORT: 9042,
  MONGO_PORT: 27017,
  JAEGER_OTLP_GRPC_PORT: 4317,
  JAEGER_OTLP_HTTP_PORT: 4318,
  JAEGER_QUERY_PORT: 16686,
} as const;

export type PortVariable = keyof typeof defaultPorts;

/** A port as the environment sets it, or its default. */
export function infraPort(variable: PortVariable): number {
  return portFromEnv(variable, defaultPorts[variable]);
}

/**
 * How apps and tests reach the local servers, derived from the same port variables the servers
 * are started with, so moving a port needs one variable, not two.
 */
export function connectionEnv(): Record<string, string> {
  return {
    KAFKA_BROKERS: `127.0.0.1:${infraPort('KAFKA_PORT')}`,
    MONGO_URL: `mongodb://127.0.0.1:${infraPort('MONGO_PORT')}`,
    CASSANDRA_CONTACT_POINTS: `127.0.0.1:${infraPort('CASSANDRA_PORT')}`,
    REDIS_URL: `redis://127.0.0.1:${infraPort('REDIS_PORT')}`,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${infraPort('JAEGER_OTLP_HTTP_PORT')}`,
    JAEGER_QUERY_URL: `http://127.0.0.1:${infraPort('JAEGER_QUERY_PORT')}`,
  };
}

/** `export NAME=value` lines for a POSIX shell: `eval "$(npm run -s infra:env)"`. */
export function formatShellExports(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([name, value]) => `export ${name}=${value}`)
    .join('\n');
}
