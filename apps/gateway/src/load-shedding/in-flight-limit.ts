import { Counter, Gauge, type Registry } from 'prom-client';
import { ProblemException } from '@platform/http';
import { notProcessedHeader } from '@platform/resilience';

/**
 * Load shedding at the door: at most `max` requests forwarded at once. One more is refused at once,
 * before its body is read or an upstream is called, with 503 `overloaded` and `Retry-After: 1`,
 * so that when the upstreams slow down the requests waiting on them (each a socket, a body and
 * timers) stay bounded rather than pile up until memory or the timeouts give. The services shed
 * their own excess (the order service's admission limit); this bounds what reaches them.
 * `gateway_requests_in_flight` shows the count, `gateway_requests_shed_total` the refusals.
 */
export class InFlightLimit {
  private inFlight = 0;
  private readonly shed: Counter;

  constructor(
    private readonly max: number,
    registry: Registry,
  ) {
    this.shed = new Counter({
      name: 'gateway_requests_shed_total',
      help: 'Requests refused with 503 overloaded because GATEWAY_MAX_IN_FLIGHT were being forwarded',
      registers: [registry],
    });
    const inFlightNow = () => this.inFlight;
    new Gauge({
      name: 'gateway_requests_in_flight',
      help: 'Requests being forwarded to an upstream now',
      registers: [registry],
      collect() {
        this.set(inFlightNow());
      },
    });
  }

  /** Counts a request in, or throws the 503 that refuses it; `release` must follow an admission. */
  admit(): void {
    if (this.inFlight >= this.max) {
      this.shed.inc();
      throw new ProblemException({
        status: 503,
        type: 'overloaded',
        detail: 'The platform is serving as many requests as it can: retry shortly.',
        headers: { 'Retry-After': '1', [notProcessedHeader]: 'overloaded' },
      });
    }
    this.inFlight += 1;
  }

  release(): void {
    this.inFlight -= 1;
  }
}
