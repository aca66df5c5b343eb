import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestSigningKey } from '@platform/auth/testing';
import { eventually, freePorts, startServiceProcess, type ServiceProcess } from '@platform/testing';
import { otlpEndpoint, unthrottled } from './connection';
import { startHttpGate, type HttpGate } from './http-gate';

export type ServiceName =
  'auth' | 'inventory' | 'notification' | 'payment-provider-sim' | 'payment' | 'order' | 'gateway';

/** Extra variables per service, over the harness's own; e.g. short deadlines for a fault suite. */
export type PlatformSettings = Partial<Record<ServiceName, NodeJS.ProcessEnv>>;

/** Where this run keeps its state: its own databases, keyspaces and consumer groups, shared with no other run. */
export interface RunStores {
  authDatabase: string;
  inventoryDatabase: string;
  orderDatabase: string;
  paymentKeyspace: string;
  notificationKeyspace: string;
  groups: { inventory: string; notification: string; payment: string; order: string };
}

export interface Platform {
  run: string;
  stores: RunStores;
  gatewayUrl: string;
  /** The simulator, reached directly: its fault knobs and its charge listing are not public. */
  providerUrl: string;
  /** Between the order service and the inventory (its price look-ups); open unless a test closes it. */
  inventoryGate: HttpGate;
  /** Between the payment service and the simulator (charges and refunds); open unless a test closes it. */
  providerGate: HttpGate;
  process(name: ServiceName): ServiceProcess;
  /** SIGKILLs a service; it stays down until `start`. */
  kill(name: ServiceName): Promise<void>;
  /**
   * Starts a killed service again, on its port, with its stores and group. Its group has committed
   * offsets by then, so it resumes from them; a partition the group has not committed on yet
   * holds only what arrived since the first start, so it is read from its beginning.
   */
  restart(name: ServiceName): Promise<ServiceProcess>;
  /**
   * Restarts each instance of a service in turn, as a rolling update does: SIGTERM (it drains and
   * exits 0, or this throws), started again on its port, ready (/readyz 200) and called again by
   * its callers, then `settled` (if given) before the next one goes: a rollout that waits for the
   * platform to have worked off what the last step left behind, as a deployment's pause or
   * analysis step does.
   */
  rollingRestart(name: ServiceName, settled?: () => Promise<void>): Promise<void>;
  /**
   * Starts one more instance of a service, on a free port, with its stores and consumer group: it
   * joins the group and takes a share of the partitions, while the gateway keeps calling the first.
   * Stopped with the platform; the caller may kill it before.
   */
  startInstance(name: ServiceName): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

/** Start order: each service's dependencies come up before it. */
const startOrder: ServiceName[][] = [
  ['auth'],
  ['inventory', 'notification', 'payment-provider-sim'],
  ['payment'],
  ['order'],
  ['gateway'],
];

/**
 * The whole platform as OS processes on the real infrastructure, as the local profile runs it:
 * every service with this run's own stores and consumer groups, all tracing to Jaeger, the
 * consumer groups starting at the end of the topics so other runs' history stays out.
 */
export async function startPlatform(
  settings: PlatformSettings = {},
  /** Services run as two instances from the start; their callers list both (the gateway calls them in turn). */
  twoInstancesOf: readonly ServiceName[] = [],
): Promise<Platform> {
  const run = randomUUID().slice(0, 8);
  const stores: RunStores = {
    authDatabase: `e2e-auth-${run}`,
    inventoryDatabase: `e2e-inventory-${run}`,
    orderDatabase: `e2e-order-${run}`,
    paymentKeyspace: `e2e_payment_${run}`,
    notificationKeyspace: `e2e_notification_${run}`,
    groups: {
      inventory: `e2e-inventory-${run}`,
      notification: `e2e-notification-${run}`,
      payment: `e2e-payment-${run}`,
      order: `e2e-order-${run}`,
    },
  };
  const signingKeys = JSON.stringify({ keys: [(await createTestSigningKey(`e2e-${run}`)).privateJwk] });
  const names = startOrder.flat();
  // Every port the platform listens on (each instance's two, the two gates'), chosen together and
  // each held until all are: chosen one by one, a port could be one already promised to a process
  // not yet started. (In one CI run the gateway's port was taken so, most likely by an operations
  // port chosen alone: the gateway failed to listen, and the harness took the other's /healthz.)
  const instanceCount = names.length + twoInstancesOf.length;
  const chosen = await freePorts(2 * instanceCount + 2);
  const ports = Object.fromEntries(names.map((name, index) => [name, chosen[index]])) as Record<
    ServiceName,
    number
  >;
  const operationsPorts = new Map<ServiceName, number>(
    names.map((name, index) => [name, chosen[instanceCount + index] as number]),
  );
  const secondOperationsPorts = new Map<ServiceName, number>(
    twoInstancesOf.map((name, index) => [name, chosen[instanceCount + names.length + index] as number]),
  );
  const [inventoryGatePort, providerGatePort] = chosen.slice(2 * instanceCount);
  const url = (name: ServiceName) => `http://127.0.0.1:${ports[name]}`;
  const secondPorts = new Map<ServiceName, number>(
    twoInstancesOf.map((name, index) => [name, chosen[names.length + index] as number]),
  );
  /** Where a caller reaches a service: its instances' base URLs, separated by commas. */
  const urls = (name: ServiceName) =>
    [url(name), ...(secondPorts.has(name) ? [`http://127.0.0.1:${secondPorts.get(name)}`] : [])].join(',');
  const inventoryGate = await startHttpGate(url('inventory'), inventoryGatePort);
  const providerGate = await startHttpGate(url('payment-provider-sim'), providerGatePort);

  const common = { PROFILE: 'local', OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint, AUTH_URL: url('auth') };
  const consumer = (group: string) => ({ KAFKA_CONSUMER_GROUP: group, KAFKA_AUTO_OFFSET_RESET: 'latest' });
  const env: Record<ServiceName, NodeJS.ProcessEnv> = {
    auth: {
      ...common,
      AUTH_SIGNING_KEYS: signingKeys,
      MONGO_DATABASE: stores.authDatabase,
      // Every request of these suites comes from 127.0.0.1: the per-address throttle is tested in apps/auth.
      LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
      OUTBOX_RELAY_INTERVAL_MS: '100',
    },
    inventory: {
      ...common,
      ...consumer(stores.groups.inventory),
      MONGO_DATABASE: stores.inventoryDatabase,
    },
    notification: {
      ...common,
      ...consumer(stores.groups.notification),
      CASSANDRA_KEYSPACE: stores.notificationKeyspace,
    },
    'payment-provider-sim': { PROFILE: 'local', OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint },
    payment: {
      ...common,
      ...consumer(stores.groups.payment),
      CASSANDRA_KEYSPACE: stores.paymentKeyspace,
      PROVIDER_URL: providerGate.url,
      OUTBOX_RELAY_INTERVAL_MS: '100',
    },
    order: {
      ...common,
      ...consumer(stores.groups.order),
      MONGO_DATABASE: stores.orderDatabase,
      // Through the gate a test may close; straight to both instances when there are two.
      INVENTORY_URL: secondPorts.has('inventory') ? urls('inventory') : inventoryGate.url,
      // A price look-up a test holds at the gate on purpose must not time out meanwhile.
      INVENTORY_TIMEOUT_MS: '30000',
      OUTBOX_RELAY_INTERVAL_MS: '100',
      ORDER_SAGA_TICK_MS: '200',
      ORDER_EVENTS_POLL_MS: '100',
    },
    gateway: {
      ...unthrottled,
      ...common,
      AUTH_URL: urls('auth'),
      ORDER_URL: urls('order'),
      PAYMENT_URL: urls('payment'),
      INVENTORY_URL: urls('inventory'),
      NOTIFICATION_URL: urls('notification'),
      PROVIDER_URL: url('payment-provider-sim'),
      // A request a test holds in flight on purpose must not time out at the gateway meanwhile.
      UPSTREAM_TIMEOUT_MS: '30000',
    },
  };
  for (const name of names) env[name] = { ...env[name], ...settings[name] };

  const running = new Map<ServiceName, ServiceProcess>();
  /** The instances startInstance added, beside the ones in `running`. */
  const instances: { name: ServiceName; process: ServiceProcess }[] = [];
  const logs = join(__dirname, '../../../tmp/e2e-logs', run);
  let incarnation = 0;
  /** What a process printed, kept for whoever reads why a run failed (LOG_LEVEL warn: little). */
  const keepOutput = async (name: ServiceName, process = running.get(name)) => {
    const output = process?.output();
    if (!output) return;
    await mkdir(logs, { recursive: true });
    await writeFile(join(logs, `${name}-${(incarnation += 1)}.log`), output);
  };
  const start = async (name: ServiceName, extra: NodeJS.ProcessEnv = {}) => {
    const started = await startServiceProcess(
      name,
      { ...env[name], ...extra },
      { port: ports[name], operationsPort: operationsPorts.get(name) },
    );
    running.set(name, started);
    return started;
  };
  /** Stops every service (in reverse start order) and both gates; then throws what failed to stop. */
  const stopAll = async () => {
    const failures: unknown[] = [];
    const stoppedInstances = await Promise.allSettled(
      instances.map(async ({ name, process }) => {
        try {
          await process.stop();
        } finally {
          await keepOutput(name, process);
        }
      }),
    );
    stoppedInstances.forEach((outcome) => outcome.status === 'rejected' && failures.push(outcome.reason));
    for (const group of [...startOrder].reverse()) {
      const stopped = await Promise.allSettled(
        group.map(async (name) => {
          try {
            await running.get(name)?.stop();
          } finally {
            await keepOutput(name);
          }
        }),
      );
      stopped.forEach((outcome) => outcome.status === 'rejected' && failures.push(outcome.reason));
    }
    await Promise.all([inventoryGate.stop(), providerGate.stop()]);
    if (failures.length > 0) throw new AggregateError(failures, 'some services did not stop');
  };

  /** Starts the second instance of a service on its port. */
  const startSecond = async (name: ServiceName) => {
    const started = await startServiceProcess(name, env[name], {
      port: secondPorts.get(name) as number,
      operationsPort: secondOperationsPorts.get(name),
    });
    instances.push({ name, process: started });
    return started;
  };

  try {
    for (const group of startOrder)
      await Promise.all(
        group.flatMap((name) => [start(name), ...(secondPorts.has(name) ? [startSecond(name)] : [])]),
      );
  } catch (error) {
    await stopAll().catch(() => undefined); // the start's error is the one to report
    throw error;
  }

  return {
    run,
    stores,
    gatewayUrl: url('gateway'),
    providerUrl: url('payment-provider-sim'),
    inventoryGate,
    providerGate,
    process(name) {
      const found = running.get(name);
      if (!found) throw new Error(`${name} is not running`);
      return found;
    },
    async kill(name) {
      await running.get(name)?.stop('SIGKILL');
      await keepOutput(name);
      running.delete(name);
    },
    restart: (name) =>
      start(name, env[name]?.['KAFKA_CONSUMER_GROUP'] ? { KAFKA_AUTO_OFFSET_RESET: 'earliest' } : {}),
    async rollingRestart(name, settled) {
      /** Ready, and called again: every caller's circuit for the instance closed (what a load balancer waits for). */
      const backInService = async (instance: ServiceProcess) => {
        await untilReady(name, instance);
        await untilCallersCall(name, instance, () => [
          ...running.values(),
          ...instances.map(({ process }) => process),
        ]);
        await settled?.();
      };
      /** SIGTERM, and the exit code of a drain that ended: 1 is runUntilSignalled's bound, which cuts off what was in flight. */
      const drain = async (instance: ServiceProcess) => {
        const code = await instance.stop();
        await keepOutput(name, instance);
        if (code !== 0)
          throw new Error(
            `${name} exited ${code} after SIGTERM, not 0: its close did not drain (its output is kept)`,
          );
      };
      const first = running.get(name);
      if (first) {
        await drain(first);
        await backInService(await start(name));
      }
      const second = instances.find((instance) => instance.name === name);
      if (secondPorts.has(name) && second) {
        instances.splice(instances.indexOf(second), 1);
        await drain(second.process);
        await backInService(await startSecond(name));
      }
    },
    async startInstance(name) {
      const started = await startServiceProcess(name, env[name]);
      instances.push({ name, process: started });
      return started;
    },
    stop: stopAll,
  };
}

/** Waits until a (re)started instance answers /readyz 200: its stores reachable, its consumers in their groups. */
async function untilReady(name: ServiceName, instance: ServiceProcess): Promise<void> {
  await eventually(
    async () =>
      (await fetch(`${instance.operationsUrl}/readyz`).catch(() => undefined))?.status === 200
        ? true
        : undefined,
    120_000,
    250,
  ).catch(() => {
    throw new Error(`${name} (${instance.baseUrl}) was not ready within 120 s of its restart`);
  });
}

/**
 * Waits until no caller's circuit for an instance is open or half-open: the gateway's and the order
 * service's breakers name an instance `<service>@<host:port>` in `resilience_circuit_state`. Calls
 * that failed while it was away opened them; each closes after its reset time on the first call
 * that succeeds, and until then its caller sends the instance nothing.
 */
async function untilCallersCall(
  name: ServiceName,
  instance: ServiceProcess,
  callers: () => ServiceProcess[],
): Promise<void> {
  const breaker = `${name}@${new URL(instance.baseUrl).host}`;
  const notClosed = (text: string) =>
    text
      .split('\n')
      .some(
        (line) =>
          line.startsWith('resilience_circuit_state{') &&
          line.includes(`name="${breaker}"`) &&
          !line.endsWith(' 0'),
      );
  await eventually(
    async () => {
      const texts = await Promise.all(
        callers().map(async (caller) => (await fetch(`${caller.operationsUrl}/metrics`)).text()),
      );
      return texts.some(notClosed) ? undefined : true;
    },
    120_000,
    250,
  ).catch(() => {
    throw new Error(`a caller's circuit for ${breaker} did not close within 120 s of its restart`);
  });
}
