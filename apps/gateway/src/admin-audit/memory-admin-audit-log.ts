import type { AdminAction, AdminAuditEntry } from './admin-action';
import { type AdminAuditLog, type AdminAuditPage, adminAuditCapacity } from './admin-audit-log';

/**
 * The embedded profile's audit log (no Redis there): the newest `capacity` actions in this
 * process's memory, gone when it stops. Ids are made the way Redis makes stream ids.
 */
export class MemoryAdminAuditLog implements AdminAuditLog {
  /** Oldest first. */
  private readonly entries: { key: [number, number]; entry: AdminAuditEntry }[] = [];
  private last: [number, number] = [0, 0];

  constructor(
    private readonly capacity = adminAuditCapacity,
    private readonly now: () => number = Date.now,
  ) {}

  async record(action: AdminAction): Promise<void> {
    const ms = this.now();
    const key: [number, number] = ms > this.last[0] ? [ms, 0] : [this.last[0], this.last[1] + 1];
    this.last = key;
    this.entries.push({ key, entry: { id: `${key[0]}-${key[1]}`, ...structuredClone(action) } });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  async page(limit: number, before?: string): Promise<AdminAuditPage> {
    const bound = before === undefined ? undefined : keyOf(before);
    const older: AdminAuditEntry[] = [];
    for (let index = this.entries.length - 1; index >= 0 && older.length <= limit; index -= 1) {
      const stored = this.entries[index];
      if (stored && (!bound || isBefore(stored.key, bound))) older.push(structuredClone(stored.entry));
    }
    return { entries: older.slice(0, limit), more: older.length > limit };
  }
}

function keyOf(id: string): [number, number] {
  const [ms, sequence] = id.split('-').map(Number);
  return [ms ?? 0, sequence ?? 0];
}

function isBefore(key: [number, number], bound: [number, number]): boolean {
  return key[0] < bound[0] || (key[0] === bound[0] && key[1] < bound[1]);
}
