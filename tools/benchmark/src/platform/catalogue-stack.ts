import type { BenchContext } from '../bench-context.ts';
import { otlpEndpointOf } from './infrastructure.ts';
import { dropMongoDatabases } from './run-state-cleanup.ts';
import { consumerEnv, runNames, tracingEnv, unthrottledGateway, type TracingMode } from './service-env.ts';
import { serviceProcessOptions, startService, type RunningService } from './service-process.ts';

/** Inventory (seeded with the demo catalogue in the local profile) and the gateway in front of it. */
export interface CatalogueStack {
  inventory: RunningService;
  gateway: RunningService;
  stop(): Promise<void>;
}

/** A product of the demo catalogue that inventory seeds in the local profile. */
export const benchmarkSku = 'TEA-GREEN';

export async function startCatalogueStack(
  context: BenchContext,
  stack: string,
  tracing: TracingMode,
): Promise<CatalogueStack> {
  const names = runNames(context.runId, stack);
  const cpus = serviceProcessOptions(context);
  const tracingVariables = tracingEnv(tracing, otlpEndpointOf(process.env));
  const database = names.database('inventory');
  context.onCleanup(async () => {
    for (const problem of await dropMongoDatabases(process.env, [database]))
      context.say(`cleanup: ${problem}`);
  });

  context.say(`booting inventory (${stack}, database ${database})`);
  const inventory = await startService(
    'inventory',
    {
      PROFILE: 'local',
      MONGO_DATABASE: database,
      ...consumerEnv(names.consumerGroup('inventory')),
      ...tracingVariables,
    },
    cpus,
  );
  context.say(`booting gateway (${stack}) in front of it`);
  let gateway: RunningService;
  try {
    gateway = await startGatewayBefore(context, inventory.baseUrl, tracing);
  } catch (error) {
    await inventory.stop();
    throw error;
  }
  return {
    inventory,
    gateway,
    async stop() {
      await gateway.stop();
      await inventory.stop();
    },
  };
}

/** A gateway (on the services' CPUs, its rate limits out of the way) whose inventory is at `inventoryUrl`. */
export function startGatewayBefore(
  context: BenchContext,
  inventoryUrl: string,
  tracing: TracingMode,
): Promise<RunningService> {
  return startService(
    'gateway',
    {
      PROFILE: 'local',
      INVENTORY_URL: inventoryUrl,
      ...unthrottledGateway,
      ...tracingEnv(tracing, otlpEndpointOf(process.env)),
    },
    serviceProcessOptions(context),
  );
}
