import { Gauge, type Registry } from 'prom-client';
import { circuitStateValue, reportCircuitState } from '@platform/resilience';
import type { Upstreams } from './upstreams';

/**
 * Each upstream instance's circuit as `gateway_upstream_circuit_state{upstream, target}` (0 closed,
 * 1 half-open, 2 open; the dashboards' name; `target` is the instance's host:port) and as the
 * library's `resilience_circuit_state{name}`. The upstreams are built before the app's registry
 * exists, hence reporting afterwards.
 */
export function reportCircuitStates(upstreams: Upstreams, registry: Registry): void {
  const gauge = new Gauge({
    name: 'gateway_upstream_circuit_state',
    help: 'Circuit breaker state per upstream instance: 0 closed, 1 half-open, 2 open',
    labelNames: ['upstream', 'target'],
    registers: [registry],
  });
  for (const { name, instances } of upstreams.all())
    for (const { target, breaker: circuit } of instances) {
      const labels = { upstream: name, target };
      gauge.set(labels, circuitStateValue[circuit.state]);
      circuit.onStateChange((state) => gauge.set(labels, circuitStateValue[state]));
      reportCircuitState(circuit, registry);
    }
}
