import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { baseUrlsOf, createBalancedHttpClient } from './balanced-http-client';
import { notProcessedHeader } from './not-processed';

/**
 * A loopback server answering 200 with its name; or breaking every connection after reading the
 * request; or answering 503, marked as not processed or not.
 */
async function instance(
  name: string,
  breaks: boolean | 'starting' | 'unavailable' = false,
): Promise<{ url: string; hits: () => number; server: Server }> {
  let hits = 0;
  const server = createServer((request, response) => {
    hits += 1;
    request.resume();
    request.on('end', () => {
      if (breaks === true) response.socket?.destroy();
      else if (breaks === 'starting') response.writeHead(503, { [notProcessedHeader]: 'starting' }).end(name);
      else if (breaks === 'unavailable') response.writeHead(503).end(name);
      else response.end(name);
    });
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
  const started = async (name: string, breaks: Parameters<typeof instance>[1] = false) => {
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

  it('when an instance answers 503 marked not processed (still starting), then even a POST goes to the next; unmarked, it is the answer', async () => {
    const [starting, b] = [await started('starting', 'starting'), await started('b')];
    const balanced = client([starting.url, b.url]);
    for (let call = 0; call < 2; call += 1)
      expect(await text(await balanced.request({ method: 'POST', path: '/', body: '{}' }))).toBe('b');
    expect([starting.hits(), b.hits()]).toEqual([1, 2]);

    const unavailable = await started('unavailable', 'unavailable');
    const other = client([unavailable.url, b.url]);
    const answer = await other.request({ method: 'POST', path: '/', body: '{}' });
    expect(answer.statusCode).toBe(503);
    expect(await text(answer)).toBe('unavailable');
    await Promise.all([balanced.close(), other.close()]);
  });

  it('when the only instance, or the last one tried, answers 503 not processed, then that answer is returned', async () => {
    const starting = await started('starting', 'starting');
    const balanced = client([starting.url]);
    const answer = await balanced.request({ method: 'POST', path: '/', body: '{}' });
    expect(answer.statusCode).toBe(503);
    expect(answer.headers[notProcessedHeader]).toBe('starting');
    expect(await text(answer)).toBe('starting');
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
