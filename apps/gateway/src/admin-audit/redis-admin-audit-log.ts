import type Redis from 'ioredis';
import { type AdminAction, type AdminAuditEntry, adminActionSchema } from './admin-action';
import {
  type AdminAuditLog,
  type AdminAuditPage,
  AdminAuditUnavailable,
  adminAuditCapacity,
} from './admin-audit-log';

/**
 * The audit log of the local, compose and production profiles: one Redis stream shared by every
 * gateway instance, each action one entry (`action`: its JSON), trimmed to about `capacity` entries
 * (`MAXLEN ~`, which trims whole stream nodes: never fewer than `capacity` kept). The stream ids
 * are the entry ids.
 */
export class RedisAdminAuditLog implements AdminAuditLog {
  constructor(
    private readonly redis: Redis,
    private readonly key = 'gateway:admin-audit',
    private readonly capacity = adminAuditCapacity,
  ) {}

  async record(action: AdminAction): Promise<void> {
    try {
      await this.redis.xadd(
        this.key,
        'MAXLEN',
        '~',
        this.capacity,
        '*',
        'action',
        JSON.stringify(adminActionSchema.parse(action)),
      );
    } catch (error) {
      throw new AdminAuditUnavailable(error);
    }
  }

  async page(limit: number, before?: string): Promise<AdminAuditPage> {
    let rows: [id: string, fields: string[]][];
    try {
      // `(id`: exclusive, so a page starts right after the previous one's last entry.
      rows = await this.redis.xrevrange(
        this.key,
        before === undefined ? '+' : `(${before}`,
        '-',
        'COUNT',
        limit + 1,
      );
    } catch (error) {
      throw new AdminAuditUnavailable(error);
    }
    return {
      entries: rows.slice(0, limit).map(([id, fields]) => entryOf(id, fields)),
      more: rows.length > limit,
    };
  }
}

/** A stream entry read back; one the gateway did not write is an error, not something to guess at. */
function entryOf(id: string, fields: string[]): AdminAuditEntry {
  const at = fields.indexOf('action');
  let action: unknown;
  try {
    action = at >= 0 && at % 2 === 0 ? JSON.parse(fields[at + 1] ?? '') : undefined;
  } catch {
    action = undefined;
  }
  const parsed = adminActionSchema.safeParse(action);
  if (!parsed.success) throw new Error(`admin audit entry ${id} is not one the gateway recorded`);
  return { id, ...parsed.data };
}
