import type Redis from 'ioredis';
import type { ProductView } from '../domain/product';
import type { ProductCache } from './product-cache.port';

export interface CacheWarnings {
  warn(message: string): void;
}

/**
 * Product views in Redis under `<database>:product:<sku>` (`inventory:product:<sku>` with the
 * default MONGO_DATABASE), each with the TTL: inventories of different databases sharing a Redis
 * never serve each other's views. Every failure is
 * swallowed (a miss, a skipped write) and reported at most once per `warnEveryMs`, so a down Redis
 * neither fails a request nor floods the log. The client must fail fast (no offline queue, a short
 * command timeout): then a down Redis costs milliseconds per read.
 *
 * An invalidation that failed is kept and sent again when the connection is back: a view cached
 * before the outage would otherwise be served, stale, until its TTL ran out.
 */
export class RedisProductCache implements ProductCache {
  private lastWarningAt = Number.NEGATIVE_INFINITY;
  private readonly missedInvalidations = new Set<string>();

  constructor(
    private readonly redis: Redis,
    /** The MongoDB database the views come from: the keys' prefix. */
    private readonly database: string,
    private readonly ttlSeconds: number,
    private readonly warnings: CacheWarnings,
    private readonly warnEveryMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {
    redis.on('ready', () => void this.retryMissedInvalidations());
  }

  /** Sends the invalidations that failed while Redis was unreachable; those failing again stay for the next time. */
  async retryMissedInvalidations(): Promise<void> {
    for (const sku of [...this.missedInvalidations]) {
      this.missedInvalidations.delete(sku);
      await this.invalidate(sku);
    }
  }

  async getMany(skus: readonly string[]): Promise<Map<string, ProductView>> {
    const found = new Map<string, ProductView>();
    if (skus.length === 0) return found;
    try {
      const values = await this.redis.mget(...skus.map((sku) => this.keyOf(sku)));
      values.forEach((value, index) => {
        const sku = skus[index];
        if (value !== null && sku !== undefined) found.set(sku, JSON.parse(value) as ProductView);
      });
    } catch (error) {
      this.failed('read', error);
    }
    return found;
  }

  async setMany(views: readonly ProductView[]): Promise<void> {
    if (views.length === 0) return;
    try {
      const pipeline = this.redis.pipeline();
      for (const view of views)
        pipeline.set(this.keyOf(view.sku), JSON.stringify(view), 'EX', this.ttlSeconds);
      await pipeline.exec();
    } catch (error) {
      this.failed('write', error);
    }
  }

  async invalidate(sku: string): Promise<void> {
    try {
      await this.redis.del(this.keyOf(sku));
    } catch (error) {
      this.missedInvalidations.add(sku);
      this.failed('invalidation', error);
    }
  }

  private keyOf(sku: string): string {
    return `${this.database}:product:${sku}`;
  }

  private failed(operation: string, error: unknown): void {
    const now = this.now();
    if (now - this.lastWarningAt < this.warnEveryMs) return;
    this.lastWarningAt = now;
    const reason = error instanceof Error ? error.message : String(error);
    this.warnings.warn(`product cache ${operation} failed, serving from MongoDB: ${reason}`);
  }
}
