import express from 'express';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storefrontMiddleware } from './storefront-files';

describe('storefrontMiddleware', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'storefront-'));
    const directory = join(root, 'site');
    mkdirSync(directory);
    writeFileSync(join(directory, 'index.html'), '<!doctype html><title>shop</title>');
    writeFileSync(join(directory, 'main.js'), 'export {};');
    writeFileSync(join(root, 'secret.txt'), 'not for the web');
    const app = express();
    app.use(storefrontMiddleware({ directory, traceUrl: 'http://jaeger/trace/{traceId}' }));
    app.use((_request, response) => response.status(404).send('next'));
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => server.close());

  it('when / is asked for, then the page is served with headers that keep it from being framed or sniffed', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(await response.text()).toContain('<title>shop</title>');
  });

  it('when a script of the build is asked for, then it is served as JavaScript', async () => {
    const response = await fetch(`${base}/main.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
  });

  it('when a path outside the build is asked for (traversal, encoded or not), then the next handler answers', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/secret.txt',
      '/api/orders',
    ])
      expect(await (await fetch(`${base}${path}`)).text()).toBe('next');
  });

  it('when a method other than GET or HEAD is used, then the next handler answers', async () => {
    expect(await (await fetch(`${base}/`, { method: 'POST' })).text()).toBe('next');
  });

  it('when the page asks for its configuration, then it gets where traces are shown', async () => {
    const response = await fetch(`${base}/storefront-config.json`);
    expect(await response.json()).toEqual({ traceUrl: 'http://jaeger/trace/{traceId}' });
  });
});
