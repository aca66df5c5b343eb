import type { OrderView } from '../domain/order-view';

/** One `event: status` of `GET /api/orders/{orderId}/events`; its id is the entry's index in `history`. */
export interface StatusEvent {
  id: number;
  data: { orderId: string; status: string; failureReason?: string; at: string };
}

/**
 * The events a stream sends after the one with id `lastSentId`: the status changes since. A stream
 * that sent nothing yet starts with the current status only, as the client asked for it now.
 */
export function statusEventsAfter(view: OrderView, lastSentId: number | undefined): StatusEvent[] {
  const from = lastSentId === undefined ? view.history.length - 1 : lastSentId + 1;
  return view.history.slice(from).map((change, offset) => {
    const failed = change.status === 'CANCELLED' || change.status === 'COMPENSATION_FAILED';
    const failureReason = failed ? view.failureReason : undefined;
    return {
      id: from + offset,
      data: {
        orderId: view.orderId,
        status: change.status,
        ...(failureReason !== undefined && { failureReason }),
        at: change.at,
      },
    };
  });
}

/**
 * The `Last-Event-ID` a reconnecting client sends: the stream resumes after it. Anything that is
 * not the index of an entry of `history` is ignored, and the stream starts afresh.
 */
export function lastEventIdOf(
  header: string | string[] | undefined,
  historyLength: number,
): number | undefined {
  if (typeof header !== 'string' || !/^\d{1,6}$/.test(header)) return undefined;
  const id = Number(header);
  return id < historyLength ? id : undefined;
}

/** The text/event-stream frame of an event. */
export function frameOf(event: StatusEvent): string {
  return `id: ${event.id}\nevent: status\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** A comment line: ignored by clients, it keeps proxies from closing an idle stream. */
export const heartbeatFrame = ': heartbeat\n\n';
