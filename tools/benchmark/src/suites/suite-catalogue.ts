import type { SuiteName } from '../args.ts';
import type { BenchContext } from '../bench-context.ts';
import type { InfraServer } from '../platform/infrastructure.ts';
import { breakerSuite } from './breaker-suite.ts';
import { embeddedSuite } from './embedded-suite.ts';
import { gatewaySuite } from './gateway-suite.ts';
import { idempotencySuite } from './idempotency-suite.ts';
import { kafkaSuite } from './kafka-suite.ts';
import { sagaSuite } from './saga-suite.ts';
import { scaleSuite } from './scale-suite.ts';
import type { SuiteReport } from './suite-report.ts';
import { tracingSuite } from './tracing-suite.ts';

export interface SuiteDefinition {
  title: string;
  /** Built apps it starts. */
  apps: readonly string[];
  servers: readonly InfraServer[];
  run(context: BenchContext): Promise<SuiteReport>;
}

const catalogueApps = ['inventory', 'gateway'] as const;
const orderApps = ['auth', 'inventory', 'payment-provider-sim', 'payment', 'order', 'gateway'] as const;

export const suites: Record<SuiteName, SuiteDefinition> = {
  gateway: {
    title: 'gateway: proxied vs direct',
    apps: catalogueApps,
    servers: ['mongo', 'redis', 'kafka'],
    run: gatewaySuite,
  },
  tracing: {
    title: 'tracing: on vs off',
    apps: catalogueApps,
    servers: ['mongo', 'redis', 'kafka', 'jaeger'],
    run: tracingSuite,
  },
  saga: {
    title: 'order saga: sustained orders/s',
    apps: orderApps,
    servers: ['mongo', 'redis', 'kafka', 'cassandra'],
    run: sagaSuite,
  },
  idempotency: {
    title: 'idempotency: replay vs fresh POST /api/orders',
    apps: orderApps,
    servers: ['mongo', 'redis', 'kafka', 'cassandra'],
    run: idempotencySuite,
  },
  embedded: {
    title: 'embedded profile: POST → CONFIRMED in one process',
    apps: ['embedded'],
    servers: [],
    run: embeddedSuite,
  },
  scale: {
    title: 'scale-out: orders/s with 1, 2 and 3 instances',
    apps: orderApps,
    servers: ['mongo', 'redis', 'kafka', 'cassandra'],
    run: scaleSuite,
  },
  breaker: {
    title: 'circuit breaker: cost per call, refused call',
    // Runs the built @platform/resilience in this process; the gateway's build builds it.
    apps: ['gateway'],
    servers: [],
    run: breakerSuite,
  },
  kafka: {
    title: 'kafka client: produce at acks=all, consume',
    // Uses the platform's producer settings from the built @platform/messaging; order's build builds it.
    apps: ['order'],
    servers: ['kafka'],
    run: kafkaSuite,
  },
};

/** What docs/benchmark.md#not-measured-yet lists and this command does not measure yet. */
export const notMeasuredYet = [
  'tracing on the order endpoint (POST /api/orders), beside the trivial route measured here',
];
