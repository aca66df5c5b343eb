import type { EventOrigin } from '../outbox/event-origin';

/** The context of one delivered stock command: its id (for replies) and where its events come from. */
export interface CommandContext extends EventOrigin {
  commandId: string;
}
