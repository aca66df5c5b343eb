import { portFromEnv } from './recipe.ts';

/** Default ports of the local infrastructure; each can be moved with the variable of the same name. */
export const defaultPorts = {
  REDIS_PORT: 6379,
  KAFKA_PORT: 9092,
  KAFKA_CONTROLLER_PORT: 9093,
  /** Kafka's second listener, reached only through Toxiproxy: it advertises the proxy's address. */
  KAFKA_PROXIED_PORT: 9094,
  CASSANDRA_PORT: 9042,
  MONGO_PORT: 27017,
  JAEGER_OTLP_GRPC_PORT: 4317,
  JAEGER_OTLP_HTTP_PORT: 4318,
  JAEGER_QUERY_PORT: 16686,
  TOXIPROXY_PORT: 8474,
  KAFKA_VIA_TOXIPROXY_PORT: 19092,
  MONGO_VIA_TOXIPROXY_PORT: 37017,
  CASSANDRA_VIA_TOXIPROXY_PORT: 19042,
  REDIS_VIA_TOXIPROXY_PORT: 16379,
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
    ...storeConnectionEnv({
      kafka: infraPort('KAFKA_PORT'),
      mongo: infraPort('MONGO_PORT'),
      cassandra: infraPort('CASSANDRA_PORT'),
      redis: infraPort('REDIS_PORT'),
    }),
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${infraPort('JAEGER_OTLP_HTTP_PORT')}`,
    JAEGER_QUERY_URL: `http://127.0.0.1:${infraPort('JAEGER_QUERY_PORT')}`,
    TOXIPROXY_URL: `http://127.0.0.1:${infraPort('TOXIPROXY_PORT')}`,
  };
}

/** A store or broker Toxiproxy stands in front of: the proxy's name, where it listens, where it forwards. */
export interface ProxiedServer {
  name: 'kafka' | 'mongo' | 'cassandra' | 'redis';
  listen: number;
  upstream: number;
}

/**
 * The proxies Toxiproxy starts with, one per server the services use. Kafka's goes to the broker's
 * PROXIED listener, which advertises the proxy's address in its metadata: a client that bootstraps
 * through the proxy keeps using it, instead of going around it to the address the broker advertises.
 */
export function proxiedServers(): ProxiedServer[] {
  return [
    {
      name: 'kafka',
      listen: infraPort('KAFKA_VIA_TOXIPROXY_PORT'),
      upstream: infraPort('KAFKA_PROXIED_PORT'),
    },
    { name: 'mongo', listen: infraPort('MONGO_VIA_TOXIPROXY_PORT'), upstream: infraPort('MONGO_PORT') },
    {
      name: 'cassandra',
      listen: infraPort('CASSANDRA_VIA_TOXIPROXY_PORT'),
      upstream: infraPort('CASSANDRA_PORT'),
    },
    { name: 'redis', listen: infraPort('REDIS_VIA_TOXIPROXY_PORT'), upstream: infraPort('REDIS_PORT') },
  ];
}

/** The connection variables of `connectionEnv` for Kafka and the stores, through Toxiproxy's proxies. */
export function connectionEnvViaToxiproxy(): Record<string, string> {
  return storeConnectionEnv(
    Object.fromEntries(proxiedServers().map(({ name, listen }) => [name, listen])) as Record<
      ProxiedServer['name'],
      number
    >,
  );
}

/** How apps reach Kafka and the stores on loopback, given each one's port. */
function storeConnectionEnv(ports: Record<ProxiedServer['name'], number>): Record<string, string> {
  return {
    KAFKA_BROKERS: `127.0.0.1:${ports.kafka}`,
    MONGO_URL: `mongodb://127.0.0.1:${ports.mongo}`,
    CASSANDRA_CONTACT_POINTS: `127.0.0.1:${ports.cassandra}`,
    REDIS_URL: `redis://127.0.0.1:${ports.redis}`,
  };
}

/** `export NAME=value` lines for a POSIX shell: `eval "$(npm run -s infra:env)"`. */
export function formatShellExports(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([name, value]) => `export ${name}=${value}`)
    .join('\n');
}
