import { Counter, Gauge, type Registry } from 'prom-client';

export interface SagaMetrics {
  transitions: Counter<'saga' | 'from' | 'to'>;
  compensationFailed: Counter<'saga'>;
  stepRetries: Counter<'saga' | 'step'>;
  /** New instances refused by an UnfinishedSagaLimit (back-pressure). */
  admissionsRefused: Counter<'saga'>;
  /** Reports, at each scrape, the unfinished instances of every saga watched. */
  watchInProgress(saga: string, count: () => Promise<number>): void;
  /** Reports, at each scrape, the admission limit of a saga's UnfinishedSagaLimit. */
  watchAdmissionLimit(saga: string, limit: () => number): void;
}

const perRegistry = new WeakMap<Registry, SagaMetrics>();

/** One set per registry, shared by every orchestrator of the app (prom-client refuses duplicates). */
export function sagaMetrics(registry: Registry): SagaMetrics {
  const known = perRegistry.get(registry);
  if (known) return known;
  const counters = new Map<string, () => Promise<number>>();
  const limits = new Map<string, () => number>();
  const metrics: SagaMetrics = {
    transitions: new Counter({
      name: 'saga_transitions_total',
      help: 'Saga status transitions',
      labelNames: ['saga', 'from', 'to'] as const,
      registers: [registry],
    }),
    compensationFailed: new Counter({
      name: 'saga_compensation_failed_total',
      help: 'Sagas parked in COMPENSATION_FAILED: a compensation kept failing (alert on any increase)',
      labelNames: ['saga'] as const,
      registers: [registry],
    }),
    stepRetries: new Counter({
      name: 'saga_step_retries_total',
      help: 'Commands of retriable steps sent again after their deadline (a participant not answering)',
      labelNames: ['saga', 'step'] as const,
      registers: [registry],
    }),
    admissionsRefused: new Counter({
      name: 'saga_admissions_refused_total',
      help: 'New saga instances refused because too many were unfinished (back-pressure)',
      labelNames: ['saga'] as const,
      registers: [registry],
    }),
    watchInProgress: (saga, count) => counters.set(saga, count),
    watchAdmissionLimit: (saga, limit) => limits.set(saga, limit),
  };
  // Counted in the store rather than in this process, so it stays right across instances and restarts.
  new Gauge({
    name: 'saga_in_progress',
    help: 'Unfinished saga instances (RUNNING or COMPENSATING)',
    labelNames: ['saga'] as const,
    registers: [registry],
    async collect() {
      for (const [saga, count] of counters) this.set({ saga }, await count());
    },
  });
  new Gauge({
    name: 'saga_admission_limit',
    help: 'How many instances may be unfinished before new ones are refused (back-pressure; adapts to how fast they end)',
    labelNames: ['saga'] as const,
    registers: [registry],
    collect() {
      for (const [saga, limit] of limits) this.set({ saga }, limit());
    },
  });
  perRegistry.set(registry, metrics);
  return metrics;
}
