import { send } from './api.js';

export interface StatusEvent {
  orderId: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  failureReason?: string;
  at: string;
}

/**
 * Follows `GET /api/orders/{id}/events` (text/event-stream) until the order is final. Read with
 * fetch, not EventSource, because the stream needs the Authorization header.
 */
export async function followStatus(
  orderId: string,
  onEvent: (event: StatusEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await send('GET', `/api/orders/${encodeURIComponent(orderId)}/events`, {
    headers: { accept: 'text/event-stream' },
    signal,
  });
  if (!response.ok || !response.body) throw new Error(`status stream: HTTP ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += value;
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const frame = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = frame
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (!data) continue; // a heartbeat comment
      const event = JSON.parse(data) as StatusEvent;
      onEvent(event);
      if (event.status !== 'PENDING') {
        await reader.cancel();
        return;
      }
    }
  }
}
