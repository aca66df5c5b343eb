import type { AdminAction, AdminAuditEntry } from './admin-action';

/** How many actions the audit log keeps: the newest; older ones are dropped (Redis: about this many). */
export const adminAuditCapacity = 10_000;

/** Entry ids have the shape of Redis stream ids (`<ms>-<sequence>`) in every adapter. */
export const adminAuditIdPattern = /^\d{1,20}-\d{1,20}$/;

export interface AdminAuditPage {
  /** Newest first. */
  entries: AdminAuditEntry[];
  /** Whether older entries follow the last one. */
  more: boolean;
}

/**
 * Where the gateway keeps admin actions: Redis in the local, compose and production profiles
 * (shared by every gateway instance), this process's memory in the embedded profile. Bounded.
 */
export interface AdminAuditLog {
  /** @throws AdminAuditUnavailable when the store cannot be reached */
  record(action: AdminAction): Promise<void>;
  /**
   * Up to `limit` entries, newest first, all older than the entry `before` when it is given (that
   * entry need not still be kept).
   * @throws AdminAuditUnavailable when the store cannot be reached
   */
  page(limit: number, before?: string): Promise<AdminAuditPage>;
}

/** The store of the audit log cannot be reached right now. */
export class AdminAuditUnavailable extends Error {
  constructor(cause: unknown) {
    super('the admin audit log cannot be reached', { cause });
    this.name = 'AdminAuditUnavailable';
  }
}

/** Nest injection token of the gateway's AdminAuditLog. */
export const ADMIN_AUDIT_LOG = Symbol('ADMIN_AUDIT_LOG');
