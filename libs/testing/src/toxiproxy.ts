/**
 * The toxics of Toxiproxy the fault suite uses (https://github.com/Shopify/toxiproxy#toxics):
 * `latency` delays data, `reset_peer` resets each connection (ECONNRESET) after `timeout` ms,
 * `timeout` holds data and, with `timeout: 0`, never lets it through nor closes (a partition).
 */
export type Toxic =
  | { type: 'latency'; attributes: { latency: number; jitter?: number } }
  | { type: 'reset_peer'; attributes: { timeout: number } }
  | { type: 'timeout'; attributes: { timeout: number } };

/**
 * A client of Toxiproxy's HTTP API (the local infrastructure's `toxiproxy`, `npm run infra:up`),
 * for the few calls the tests make; written on fetch rather than taking a client package for five
 * requests. A toxic is added to both directions of a proxy; `reset()` removes every toxic and
 * enables every proxy, so each test starts from a clean network.
 */
export interface ToxiproxyProxy {
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: { name: string }[];
}

export class Toxiproxy {
  readonly url: string;

  constructor(
    url = process.env['TOXIPROXY_URL'] ?? `http://127.0.0.1:${process.env['TOXIPROXY_PORT'] ?? 8474}`,
  ) {
    this.url = url;
  }

  /** Adds `toxic` to both directions of `proxy`, under the names `<name>-up` and `<name>-down`. */
  async addToxic(proxy: string, name: string, toxic: Toxic): Promise<void> {
    for (const stream of ['upstream', 'downstream'] as const)
      await this.call('POST', `/proxies/${proxy}/toxics`, {
        name: `${name}-${stream === 'upstream' ? 'up' : 'down'}`,
        stream,
        toxicity: 1,
        ...toxic,
      });
  }

  /** Removes both directions of a toxic `addToxic` added. */
  async removeToxic(proxy: string, name: string): Promise<void> {
    for (const suffix of ['up', 'down'])
      await this.call('DELETE', `/proxies/${proxy}/toxics/${name}-${suffix}`);
  }

  /** Runs `during` with `toxic` on `proxy`, and removes it after, whatever `during` did. */
  async withToxic<T>(proxy: string, name: string, toxic: Toxic, during: () => Promise<T>): Promise<T> {
    await this.addToxic(proxy, name, toxic);
    try {
      return await during();
    } finally {
      await this.removeToxic(proxy, name);
    }
  }

  /** A disabled proxy closes its connections and refuses new ones: the server is unreachable. */
  async setEnabled(proxy: string, enabled: boolean): Promise<void> {
    await this.call('POST', `/proxies/${proxy}`, { enabled });
  }

  /** Every proxy enabled, without toxics. */
  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }

  /** The proxies by name: where each listens and forwards, whether enabled, its toxics. */
  async proxies(): Promise<Record<string, ToxiproxyProxy>> {
    return (await (await this.call('GET', '/proxies')).json()) as Record<string, ToxiproxyProxy>;
  }

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    const answer = await fetch(`${this.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!answer.ok)
      throw new Error(`Toxiproxy ${method} ${path} answered ${answer.status}: ${await answer.text()}`);
    return answer;
  }
}
