import type { OutboxEventOrigin } from '@platform/messaging';

/** Where an event comes from: the command it answers (its trace and saga) or an HTTP request (its trace). */
export type EventOrigin = Omit<OutboxEventOrigin, 'now'>;
