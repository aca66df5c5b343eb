import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The library's metrics on the caller's registry, created once per registry and shared by every
 * policy on it (prom-client refuses a second metric of the same name).
 */
function getOrCreate<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

export function circuitStateGauge(registry: Registry): Gauge<'name'> {
  return getOrCreate(
    registry,
    'resilience_circuit_state',
    () =>
      new Gauge({
        name: 'resilience_circuit_state',
        help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open',
        labelNames: ['name'],
        registers: [registry],
      }),
  );
}

export function rejectionsCounter(registry: Registry): Counter<'name' | 'policy'> {
  return getOrCreate(
    registry,
    'resilience_rejections_total',
    () =>
      new Counter({
        name: 'resilience_rejections_total',
        help: 'Calls refused without being made, by policy (circuit-breaker, bulkhead) or ended by timeout',
        labelNames: ['name', 'policy'],
        registers: [registry],
      }),
  );
}

export function retriesCounter(registry: Registry): Counter<'name'> {
  return getOrCreate(
    registry,
    'resilience_retries_total',
    () =>
      new Counter({
        name: 'resilience_retries_total',
        help: 'Attempts repeated after a failure of an idempotent call',
        labelNames: ['name'],
        registers: [registry],
      }),
  );
}
