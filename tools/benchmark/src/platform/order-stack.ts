import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { BenchContext } from '../bench-context.ts';
import { dropKeyspaces, dropMongoDatabases } from './run-state-cleanup.ts';
import { consumerEnv, runNames, tracingEnv, unthrottledGateway } from './service-env.ts';
import { serviceProcessOptions, startService, type RunningService } from './service-process.ts';

/** Every service the order saga runs through, each its own process, and the gateway in front. */
export interface OrderStack {
  gateway: RunningService;
  /** The first instance of each scaled service. */
  order: RunningService;
  inventory: RunningService;
  payment: RunningService;
  /** Every instance of each scaled service, in one consumer group per service. */
  instances: Record<ScaledApp, RunningService[]>;
  services: RunningService[];
  stop(): Promise<void>;
}

/** The services a stack runs several instances of: the saga's consumers. */
export const scaledApps = ['inventory', 'payment', 'order'] as const;
export type ScaledApp = (typeof scaledApps)[number];

export interface OrderStackOptions {
  /** Instances of each of inventory, payment and order (default 1); the gateway and order balance over them. */
  instances?: number;
  /** Partitions of the topics the services create (KAFKA_TOPIC_PARTITIONS). */
  topicPartitions?: number;
}

/** AUTH_SIGNING_KEYS with one fresh Ed25519 key (the shape apps/auth's signing-key-set.ts reads). */
function freshSigningKeys(): string {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  return JSON.stringify({
    keys: [{ kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d, kid: `bench-${randomUUID()}` }],
  });
}

/** `stack` names its databases, keyspace and consumer groups: each suite's stack starts empty. */
export async function startOrderStack(
  context: BenchContext,
  stack: string,
  options: OrderStackOptions = {},
): Promise<OrderStack> {
  const count = options.instances ?? 1;
  const names = runNames(context.runId, stack);
  const cpus = serviceProcessOptions(context);
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
  const common = {
    PROFILE: 'local',
    ...tracingEnv('no-export', ''),
    ...(options.topicPartitions === undefined
      ? {}
      : { KAFKA_TOPIC_PARTITIONS: String(options.topicPartitions) }),
  };
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
    // Instances of one service share its database or keyspace and its consumer group.
    const startEach = async (app: ScaledApp, env: Record<string, string>) => {
      const started: RunningService[] = [];
      for (let index = 0; index < count; index += 1) started.push(await start(app, env));
      return started;
    };
    const urlsOf = (instances: RunningService[]) => instances.map(({ baseUrl }) => baseUrl).join(',');
    const inventory = await startEach('inventory', {
      MONGO_DATABASE: names.database('inventory'),
      ...consumerEnv(names.consumerGroup('inventory')),
      AUTH_URL: auth.baseUrl,
    });
    const provider = await start('payment-provider-sim', {});
    const payment = await startEach('payment', {
      CASSANDRA_KEYSPACE: names.keyspace('payment'),
      ...consumerEnv(names.consumerGroup('payment')),
      PROVIDER_URL: provider.baseUrl,
      AUTH_URL: auth.baseUrl,
    });
    const order = await startEach('order', {
      MONGO_DATABASE: names.database('order'),
      ...consumerEnv(names.consumerGroup('order')),
      INVENTORY_URL: urlsOf(inventory),
      AUTH_URL: auth.baseUrl,
    });
    const gateway = await start('gateway', {
      ...unthrottledGateway,
      AUTH_URL: auth.baseUrl,
      INVENTORY_URL: urlsOf(inventory),
      ORDER_URL: urlsOf(order),
      PAYMENT_URL: urlsOf(payment),
    });
    const [firstOrder, firstInventory, firstPayment] = [order[0], inventory[0], payment[0]];
    if (!firstOrder || !firstInventory || !firstPayment)
      throw new Error('a stack needs at least one instance of each service');
    return {
      gateway,
      order: firstOrder,
      inventory: firstInventory,
      payment: firstPayment,
      instances: { inventory, payment, order },
      services,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
