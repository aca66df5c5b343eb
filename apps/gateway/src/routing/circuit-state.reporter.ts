import { Logger } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import type { CircuitState } from './upstream';
import type { Upstreams } from './upstreams';

const gaugeValue: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Each upstream's circuit as `gateway_upstream_circuit_state{upstream}` (0 closed, 1 half-open, 2 open) and a log line per change. */
export function reportCircuitStates(upstreams: Upstreams, registry: Registry): void {
  const logger = new Logger('UpstreamCircuit');
  const gauge = new Gauge({
    name: 'gateway_upstream_circuit_state',
    help: 'Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open',
    labelNames: ['upstream'],
    registers: [registry],
  });
  for (const upstream of upstreams.all()) {
    gauge.set({ upstream: upstream.name }, gaugeValue[upstream.state]);
    upstream.onStateChange((state) => {
      gauge.set({ upstream: upstream.name }, gaugeValue[state]);
      const line = { upstream: upstream.name, state };
      if (state === 'open') logger.warn(line, `circuit of upstream ${upstream.name} opened`);
      else logger.log(line, `circuit of upstream ${upstream.name} is ${state}`);
    });
  }
}
