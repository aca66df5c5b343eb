import type { IncomingMessage, ServerResponse } from 'node:http';
import { ExpressAdapter } from '@nestjs/platform-express';

/**
 * The Express adapter with a close that ends. Node's `server.close()` stops accepting connections
 * and closes the idle ones; but a caller that keeps a connection alive and busy (the gateway's pool
 * to a service, at a few requests a second) sends its next requests on it, so it is never idle, the
 * close waits for ever, and the process's shutdown bound (`runUntilSignalled`) exits with a request
 * in flight, whose caller sees its connection broken after the service may have acted on it. Here,
 * once the server stops listening, every answer says `Connection: close`, the ones in flight
 * included: each connection ends after its current answer, the caller opens its next one to a
 * listening instance (refused here, so sent elsewhere), and the close ends once the answers in
 * flight are sent.
 */
export class DrainingExpressAdapter extends ExpressAdapter {
  private closing = false;
  private readonly answering = new Set<ServerResponse>();

  /** The app's first middleware: marks each answer once closing, and tracks the ones in flight until then. */
  readonly closeConnectionsOnceClosing = (
    _request: IncomingMessage,
    response: ServerResponse,
    next: () => void,
  ): void => {
    if (this.closing) response.setHeader('Connection', 'close');
    else {
      this.answering.add(response);
      response.once('close', () => this.answering.delete(response));
    }
    next();
  };

  override close(): Promise<unknown> | undefined {
    this.closing = true;
    for (const response of this.answering)
      if (!response.headersSent) response.setHeader('Connection', 'close');
    this.answering.clear();
    return super.close();
  }
}
