import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The inventory service as the order service prices from it: `GET /api/products/{sku}` answers the
 * products set here, 404 for any other sku. It can fail (a 503 on every call), hold calls until
 * released (a request in flight), or be stopped (nothing listening), and it counts the calls.
 */
export class FakeInventory {
  readonly calls: string[] = [];
  private readonly products = new Map<string, { priceCents: number; currency: string }>();
  private failing = false;
  private held: Promise<void> | undefined;
  private releaseHeld: (() => void) | undefined;
  private server: Server | undefined;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer(async (request, response) => {
      const sku = decodeURIComponent(/^\/api\/products\/([^/?]+)$/.exec(request.url ?? '')?.[1] ?? '');
      this.calls.push(sku);
      await this.held;
      if (this.failing) return void response.writeHead(503).end();
      const product = this.products.get(sku);
      if (!product) {
        response.writeHead(404, { 'content-type': 'application/problem+json' });
        return void response.end(JSON.stringify({ status: 404, detail: `No product has the sku ${sku}.` }));
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ sku, name: sku, available: 10, ...product }));
    });
    // The same port when restarted, as a service that comes back.
    this.server.listen(this.port, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  product(sku: string, priceCents: number, currency = 'EUR'): this {
    this.products.set(sku, { priceCents, currency });
    return this;
  }

  /** Every call answers 503 while true. */
  fail(failing = true): void {
    this.failing = failing;
  }

  /** Holds every call until `release()`. */
  hold(): void {
    this.held = new Promise((resolve) => (this.releaseHeld = resolve));
  }

  release(): void {
    this.releaseHeld?.();
    this.held = undefined;
  }

  callsFor(sku: string): number {
    return this.calls.filter((called) => called === sku).length;
  }

  async stop(): Promise<void> {
    this.release();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
