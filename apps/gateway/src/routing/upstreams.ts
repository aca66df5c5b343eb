import { Logger } from '@nestjs/common';
import { baseUrlsOf } from '@platform/resilience';
import type { Closable } from '@platform/persistence';
import type { GatewayConfig } from '../config';
import { type UpstreamName, upstreamUrlsOf } from './route-table';
import { Upstream } from './upstream';

/** Every upstream of the route table, one pool and one breaker per instance. */
export class Upstreams implements Closable {
  readonly name = 'upstreams';

  constructor(private readonly byName: ReadonlyMap<UpstreamName, Upstream>) {}

  get(name: UpstreamName): Upstream {
    const upstream = this.byName.get(name);
    if (!upstream) throw new Error(`no upstream named ${name}`);
    return upstream;
  }

  all(): Upstream[] {
    return [...this.byName.values()];
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.all().map((upstream) => upstream.close()));
  }
}

export function createUpstreams(config: GatewayConfig): Upstreams {
  const policy = {
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    resetMs: config.BREAKER_RESET_MS,
    errorThresholdPercent: config.BREAKER_ERROR_THRESHOLD_PERCENT,
    volumeThreshold: config.BREAKER_VOLUME_THRESHOLD,
    windowMs: config.BREAKER_WINDOW_MS,
  };
  // Circuit changes are logged by the library: a warning when one opens.
  const logger = new Logger('UpstreamCircuit');
  const urls = upstreamUrlsOf(config);
  const entries = (Object.keys(urls) as UpstreamName[]).map(
    (name) => [name, new Upstream(name, baseUrlsOf(urls[name]), policy, logger)] as const,
  );
  return new Upstreams(new Map(entries));
}
