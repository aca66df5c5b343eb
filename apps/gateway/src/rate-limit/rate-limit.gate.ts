import { Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, type Registry } from 'prom-client';
import { ProblemException } from '@platform/http';
import type { Caller } from './caller-identity';
import type { RateLimiter } from './rate-limiter';
import type { RateLimitPolicy } from './token-bucket';

export interface RateLimitPolicies {
  anonymous: RateLimitPolicy;
  user: RateLimitPolicy;
}

/** While the limiter's store is down, one log line per this interval at most (with how many requests passed unchecked). */
const failOpenLogIntervalMs = 30_000;

/**
 * Admits or refuses a proxied request by its caller's bucket, and says so in the headers of
 * draft-ietf-httpapi-ratelimit-headers (structured fields):
 * `RateLimit-Policy: "anonymous";q=120;w=60` and `RateLimit: "anonymous";r=117;t=42`,
 * where `t` is the seconds until the whole quota is back. Over the limit: 429 with `Retry-After`.
 *
 * When the store (Redis) cannot be reached the gateway keeps serving: the request passes
 * unchecked (fail open), counted in `gateway_rate_limit_fail_open_total`; only the policy header is
 * sent then, since nothing is known about the remaining quota.
 */
export class RateLimitGate {
  private readonly logger = new Logger('RateLimit');
  private readonly failOpen: Counter;
  private lastFailOpenLogAt = Number.NEGATIVE_INFINITY;
  private unloggedFailOpens = 0;

  constructor(
    private readonly limiter: RateLimiter,
    private readonly identify: (request: IncomingMessage) => Promise<Caller>,
    private readonly policies: RateLimitPolicies,
    registry: Registry,
  ) {
    this.failOpen = new Counter({
      name: 'gateway_rate_limit_fail_open_total',
      help: 'Requests let through unchecked because the rate-limit store could not be reached',
      registers: [registry],
    });
  }

  async admit(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const caller = await this.identify(request);
    const policy = this.policies[caller.kind];
    response.setHeader('RateLimit-Policy', `"${policy.name}";q=${policy.quota};w=${policy.windowSeconds}`);
    let decision;
    try {
      decision = await this.limiter.take(caller.key, policy);
    } catch (error) {
      this.recordFailOpen(error);
      return;
    }
    response.setHeader('RateLimit', `"${policy.name}";r=${decision.remaining};t=${decision.resetSeconds}`);
    if (!decision.allowed) {
      throw new ProblemException({
        status: 429,
        type: 'rate-limited',
        detail: `Too many requests: at most ${policy.quota} per ${policy.windowSeconds} seconds. Retry after ${decision.retryAfterSeconds} seconds.`,
        headers: { 'Retry-After': String(decision.retryAfterSeconds) },
      });
    }
  }

  private recordFailOpen(error: unknown): void {
    this.failOpen.inc();
    this.unloggedFailOpens += 1;
    const now = Date.now();
    if (now - this.lastFailOpenLogAt < failOpenLogIntervalMs) return;
    this.logger.warn(
      { err: error, requests: this.unloggedFailOpens },
      `rate-limit store unreachable: ${this.unloggedFailOpens} request(s) let through unchecked (logged at most every ${failOpenLogIntervalMs / 1000} s)`,
    );
    this.lastFailOpenLogAt = now;
    this.unloggedFailOpens = 0;
  }
}
