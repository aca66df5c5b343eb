import { request } from 'undici';

export interface StreamedEvent {
  event?: string;
  id?: string;
  data: string;
}

/** A `text/event-stream` being read: its events as they arrive, and how it ended. */
export interface OpenEventStream {
  status: number;
  contentType: string | undefined;
  /** Filled as events arrive. */
  events: StreamedEvent[];
  /** The body, when the answer was not an event stream (e.g. a problem+json). */
  text: string;
  /** Resolves true when the server ended the stream, false when the test gave up on it first. */
  ended: Promise<boolean>;
}

/**
 * Opens an event stream and reads it in the background until the server closes it or `giveUpMs`
 * passes (a stream that never closes then shows as `ended` false rather than hanging the test).
 */
export async function openEventStream(
  url: string,
  token: string | undefined,
  giveUpMs = 60_000,
): Promise<OpenEventStream> {
  const giveUp = new AbortController();
  const timer = setTimeout(() => giveUp.abort(), giveUpMs);
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (token) headers['authorization'] = `Bearer ${token}`;
  const response = await request(url, { headers, signal: giveUp.signal });
  const contentType = response.headers['content-type']?.toString();
  if (!contentType?.startsWith('text/event-stream')) {
    clearTimeout(timer);
    const text = await response.body.text();
    return { status: response.statusCode, contentType, events: [], text, ended: Promise.resolve(true) };
  }
  const events: StreamedEvent[] = [];
  const ended = (async () => {
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += (chunk as Buffer).toString('utf8').replaceAll('\r\n', '\n');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = parseEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event) events.push(event);
        }
      }
      return true;
    } catch (error) {
      if (giveUp.signal.aborted) return false;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  })();
  return { status: response.statusCode, contentType, events, text: '', ended };
}

/** One event block; comments (`: heartbeat`) and blocks without data are no events. */
function parseEvent(block: string): StreamedEvent | undefined {
  const data: string[] = [];
  const event: Partial<StreamedEvent> = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'event') event.event = value;
    else if (field === 'id') event.id = value;
  }
  return data.length > 0 ? { ...event, data: data.join('\n') } : undefined;
}
