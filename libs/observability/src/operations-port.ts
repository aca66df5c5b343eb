import {
  type BeforeApplicationShutdown,
  Injectable,
  NotFoundException,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isOperationsPath } from './operations-paths';

export interface OperationsPortOptions {
  port: number;
  host: string;
}

/**
 * Serves the operations endpoints on a port of their own, and only there, for an app whose main
 * port is public (the gateway): probes and Prometheus reach `/healthz`, `/readyz` and `/metrics`
 * on the operations port, clients get 404 for them on the public one, and the operations port
 * answers nothing else. Both ports share one Express app, so the endpoints are the same
 * controllers. Without options (every other app) nothing changes: one port serves everything.
 */
@Injectable()
export class OperationsPort implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server?: Server;
  private readonly requests = new WeakSet<IncomingMessage>();

  constructor(
    private readonly options: OperationsPortOptions | undefined,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** The base URL of the operations port once listening; undefined when the app has none. */
  url(): string | undefined {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address ? `http://${this.options?.host ?? '127.0.0.1'}:${address.port}` : undefined;
  }

  /** Express middleware, first in the chain: keeps each port to its own endpoints. */
  readonly split: RequestHandler = (request: Request, _response: Response, next: NextFunction) => {
    if (!this.options) return next();
    const onOperationsPort = this.requests.has(request);
    if (onOperationsPort !== isOperationsPath(request.url)) return next(new NotFoundException());
    next();
  };

  /** Called once routes are registered (app.init, app.listen): requests can be served at once. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.options || this.server) return;
    const handle =
      this.adapterHost.httpAdapter.getInstance<(request: IncomingMessage, response: unknown) => void>();
    const server = createServer((request, response) => {
      this.requests.add(request);
      handle(request, response);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options?.port, this.options?.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }
}
