import type { GatewayClient } from './gateway-client.ts';
import type { KafkaTap } from './kafka-tap.ts';

/** What a scenario prints as it goes: numbered steps with their trace ids, then the checks. */
export class Report {
  private step = 0;
  private failed = 0;
  private readonly write: (line: string) => void;
  private readonly traceLink: (traceId: string) => string;

  constructor(write: (line: string) => void, traceLink: (traceId: string) => string) {
    this.write = write;
    this.traceLink = traceLink;
  }

  /** A step: what was done and, where it has one, the trace to follow it in. */
  did(what: string, traceId?: string): void {
    this.step += 1;
    this.write(`  ${this.step}. ${what}${traceId ? `\n     ${this.traceLink(traceId)}` : ''}`);
  }

  saw(what: string): void {
    this.write(`     → ${what}`);
  }

  /** An invariant or expected outcome; a false one fails the scenario. */
  check(holds: boolean, what: string): void {
    if (!holds) this.failed += 1;
    this.write(`  ${holds ? 'ok  ' : 'FAIL'} ${what}`);
  }

  get ok(): boolean {
    return this.failed === 0;
  }
}

export interface Scenario {
  name: string;
  /** The pattern it shows and the page that explains it. */
  pattern: string;
  page: string;
  summary: string;
  /**
   * `kafka`: it writes to the topics itself, so it needs a broker (`--kafka`); `process`: it kills
   * and restarts a service, so it needs one running as its own process (`--order-url`). Both mean
   * the local profile.
   */
  needs?: 'kafka' | 'process';
  run(gateway: GatewayClient, report: Report, context: ScenarioContext): Promise<void>;
}

export interface ScenarioContext {
  kafka?: KafkaTap;
  /** The order service's own URL (not the gateway's), for the scenarios that restart it. */
  orderUrl?: string;
}
