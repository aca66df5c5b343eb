import { Gauge, type Registry } from 'prom-client';
import { circuitStateValue, reportCircuitState } from '@platform/resilience';
import type { Upstreams } from './upstreams';

/**
 * Each upstream's circuit as `gateway_upstream_circuit_state{upstream}` (0 closed, 1 half-open,
 * 2 open; the dashboards' name) and as the library's `resilience_circuit_state{name}`. The
 * upstreams are built before the app's registry exists, hence reporting afterwards.
 */
export function reportCircuitStates(upstreams: Upstreams, registry: Registry): void {
  const gauge = new Gauge({
    name: 'gateway_upstream_circuit_state',
    help: 'Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open',
    labelNames: ['upstream'],
    registers: [registry],
  });
  for (const { name, circuit } of upstreams.all()) {
    gauge.set({ upstream: name }, circuitStateValue[circuit.state]);
    circuit.onStateChange((state) => gauge.set({ upstream: name }, circuitStateValue[state]));
    reportCircuitState(circuit, registry);
  }
}
