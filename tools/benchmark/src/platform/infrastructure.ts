import { connect } from 'node:net';

export type InfraServer = 'kafka' | 'mongo' | 'redis' | 'cassandra' | 'jaeger';

export interface InfraTarget {
  server: InfraServer;
  host: string;
  port: number;
  /** The variable that moves it, as the services read it. */
  variable: string;
}

/** The same defaults as the services' local profile (@platform/config localProfileDefaults). */
const localDefaults: Record<InfraServer, { variable: string; value: string }> = {
  kafka: { variable: 'KAFKA_BROKERS', value: '127.0.0.1:9092' },
  mongo: { variable: 'MONGO_URL', value: 'mongodb://127.0.0.1:27017' },
  redis: { variable: 'REDIS_URL', value: 'redis://127.0.0.1:6379' },
  cassandra: { variable: 'CASSANDRA_CONTACT_POINTS', value: '127.0.0.1:9042' },
  jaeger: { variable: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://127.0.0.1:4318' },
};

function hostAndPort(value: string, defaultPort: number): { host: string; port: number } {
  const first = (value.split(',')[0] ?? '').trim();
  const url = new URL(first.includes('://') ? first : `tcp://${first}`);
  return { host: url.hostname, port: url.port === '' ? defaultPort : Number(url.port) };
}

const defaultPorts: Record<InfraServer, number> = {
  kafka: 9092,
  mongo: 27017,
  redis: 6379,
  cassandra: 9042,
  jaeger: 4318,
};

/** Where each server is, from the environment the services will get, else the local defaults. */
export function infraTargetsOf(
  env: Record<string, string | undefined>,
  servers: readonly InfraServer[],
): InfraTarget[] {
  return servers.map((server) => {
    const { variable, value } = localDefaults[server];
    const configured = env[variable];
    return {
      server,
      variable,
      ...hostAndPort(
        configured === undefined || configured === '' ? value : configured,
        defaultPorts[server],
      ),
    };
  });
}

function reachable({ host, port }: InfraTarget, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Throws, naming each server that does not accept connections and how to start them. */
export async function requireInfrastructure(targets: readonly InfraTarget[]): Promise<void> {
  const down = (
    await Promise.all(targets.map(async (target) => ((await reachable(target)) ? [] : [target])))
  ).flat();
  if (down.length === 0) return;
  const names = down.map(({ server, host, port, variable }) => `${server} at ${host}:${port} (${variable})`);
  throw new Error(
    `not reachable: ${names.join(', ')}.\nStart the local infrastructure first: npm run infra:up ` +
      '(npm run -s infra:status shows what runs where).',
  );
}

/** Where the services send spans when tracing is on: the configured OTLP endpoint, else local Jaeger. */
export function otlpEndpointOf(env: Record<string, string | undefined>): string {
  const configured = env[localDefaults.jaeger.variable];
  return configured === undefined || configured === '' ? localDefaults.jaeger.value : configured;
}
