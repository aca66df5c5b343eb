import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { baseUrlsOf, createBalancedHttpClient } from './balanced-http-client';

/** A loopback server answering 200 with its name, or breaking every connection after reading the request. */
async function instance(
  name: string,
  breaks = false,
): Promise<{ url: string; hits: () => number; server: Server }> {
  let hits = 0;
  const server = createServer((request, response) => {
    hits += 1;
    request.resume();
    request.on('end', () => (breaks ? response.socket?.destroy() : response.end(name)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits, server };
}

async function refusingUrl(): Promise<string> {
  const { url, server } = await instance('gone');
  await new Promise((resolve) => server.close(resolve));
  return url;
}

describe('baseUrlsOf', () => {
  it('when a setting lists URLs separated by commas, then each is returned trimmed, empty parts dropped', () => {
    expect(baseUrlsOf('http://a:1, http://b:2,')).toEqual(['http://a:1', 'http://b:2']);
    expect(baseUrlsOf('http://a:1')).toEqual(['http://a:1']);
  });
});

describe('createBalancedHttpClient', () => {
  const servers: Server[] = [];
  const started = async (name: string, breaks = false) => {
    const made = await instance(name, breaks);
    servers.push(made.server);
    return made;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });
  const client = (baseUrls: string[]) =>
    createBalancedHttpClient({ baseUrls, name: 'dep', timeoutMs: 2000, breaker: { volumeThreshold: 100 } });
  const text = async (answer: { body: { text(): Promise<string> } }) => answer.body.text();

  it('when every instance answers, then calls go to each in turn', async () => {
    const [a, b] = [await started('a'), await started('b')];
    const balanced = client([a.url, b.url]);
    const answers = [];
    for (let call = 0; call < 4; call += 1)
      answers.push(await text(await balanced.request({ method: 'GET', path: '/' })));
    expect(answers).toEqual(['a', 'b', 'a', 'b']);
    expect(balanced.instances.map((one) => one.target)).toEqual([new URL(a.url).host, new URL(b.url).host]);
    await balanced.close();
  });

  it('when an instance refuses connections, then even a POST without an Idempotency-Key goes to the next', async () => {
    const b = await started('b');
    const balanced = client([await refusingUrl(), b.url]);
    for (let call = 0; call < 2; call += 1)
      expect(await text(await balanced.request({ method: 'POST', path: '/', body: '{}' }))).toBe('b');
    expect(b.hits()).toBe(2);
    await balanced.close();
  });

  it('when an instance breaks the connection after reading, then only a request safe to repeat goes to the next', async () => {
    const [broken, b] = [await started('broken', true), await started('b')];
    const balanced = client([broken.url, b.url]);
    expect(await text(await balanced.request({ method: 'GET', path: '/' }))).toBe('b');
    expect(await text(await balanced.request({ method: 'POST', path: '/', body: '{}' }))).toBe('b'); // b's turn first
    await expect(balanced.request({ method: 'POST', path: '/', body: '{}' })).rejects.toThrow();
    expect(
      await text(
        await balanced.request({
          method: 'POST',
          path: '/',
          body: '{}',
          headers: { 'idempotency-key': 'k' },
        }),
      ),
    ).toBe('b');
    expect(broken.hits()).toBe(2);
    expect(b.hits()).toBe(3);
    await balanced.close();
  });

  it('when no instance can be reached, then the last failure is thrown', async () => {
    const balanced = client([await refusingUrl(), await refusingUrl()]);
    await expect(balanced.request({ method: 'GET', path: '/' })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    await balanced.close();
  });
});
