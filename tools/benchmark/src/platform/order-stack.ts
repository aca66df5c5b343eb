import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { BenchContext } from '../bench-context.ts';
import { dropKeyspaces, dropMongoDatabases } from './run-state-cleanup.ts';
import { consumerEnv, runNames, tracingEnv, unthrottledGateway } from './service-env.ts';
import { startService, type RunningService } from './service-process.ts';

/** Every service the order saga runs through, each its own process, and the gateway in front. */
export interface OrderStack {
  gateway: RunningService;
  order: RunningService;
  inventory: RunningService;
  payment: RunningService;
  services: RunningService[];
  stop(): Promise<void>;
}

/** AUTH_SIGNING_KEYS with one fresh Ed25519 key (the shape apps/auth's signing-key-set.ts reads). */
function freshSigningKeys(): string {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  return JSON.stringify({
    keys: [{ kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d, kid: `bench-${randomUUID()}` }],
  });
}

/** `stack` names its databases, keyspace and consumer groups: each suite's stack starts empty. */
export async function startOrderStack(context: BenchContext, stack: string): Promise<OrderStack> {
  const names = runNames(context.runId, stack);
  const cpus = {
    ...(context.layout.services === undefined ? {} : { cpus: context.layout.services }),
    ...(context.options.cpuProfileDir === undefined ? {} : { cpuProfileDir: context.options.cpuProfileDir }),
  };
  const databases = ['auth', 'inventory', 'order'].map(names.database);
  const keyspaces = [names.keyspace('payment')];
  context.onCleanup(async () => {
    context.say(
      `dropping the run's databases (${databases.join(', ')}) and keyspace ${keyspaces.join(', ')}`,
    );
    const problems = [
      ...(await dropMongoDatabases(process.env, databases)),
      ...(await dropKeyspaces(process.env, keyspaces)),
    ];
    for (const problem of problems) context.say(`cleanup: ${problem}`);
  });
  // Tracing export off, as in the gateway figure: the tracing suite prices tracing on its own.
  const common = { PROFILE: 'local', ...tracingEnv('no-export', '') };
  const services: RunningService[] = [];
  const start = async (app: string, env: Record<string, string>) => {
    context.say(`booting ${app} (${stack})`);
    const service = await startService(app, { ...common, ...env }, cpus);
    services.push(service);
    return service;
  };
  const stop = async () => {
    for (const service of [...services].reverse()) await service.stop();
  };
  try {
    const auth = await start('auth', {
      MONGO_DATABASE: names.database('auth'),
      ...consumerEnv(names.consumerGroup('auth')),
      AUTH_SIGNING_KEYS: freshSigningKeys(),
      ACCESS_TOKEN_TTL_SECONDS: '7200',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '1000000',
    });
    const inventory = await start('inventory', {
      MONGO_DATABASE: names.database('inventory'),
      ...consumerEnv(names.consumerGroup('inventory')),
      AUTH_URL: auth.baseUrl,
    });
    const provider = await start('payment-provider-sim', {});
    const payment = await start('payment', {
      CASSANDRA_KEYSPACE: names.keyspace('payment'),
      ...consumerEnv(names.consumerGroup('payment')),
      PROVIDER_URL: provider.baseUrl,
      AUTH_URL: auth.baseUrl,
    });
    const order = await start('order', {
      MONGO_DATABASE: names.database('order'),
      ...consumerEnv(names.consumerGroup('order')),
      INVENTORY_URL: inventory.baseUrl,
      AUTH_URL: auth.baseUrl,
    });
    const gateway = await start('gateway', {
      ...unthrottledGateway,
      AUTH_URL: auth.baseUrl,
      INVENTORY_URL: inventory.baseUrl,
      ORDER_URL: order.baseUrl,
      PAYMENT_URL: payment.baseUrl,
    });
    return { gateway, order, inventory, payment, services, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
