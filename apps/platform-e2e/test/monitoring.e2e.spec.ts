import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually, freePort } from '@platform/testing';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the monitoring tool's pure readers, shared with this suite
import { dashboardQueries, readDashboards } from '../../../tools/monitoring/src/dashboards';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the same scrape jobs as the local and compose profiles
import {
  prometheusConfig,
  scrapedServices,
  type ScrapedService,
} from '../../../tools/infra/src/servers/prometheus-config';
import { usePlatform } from './platform-suite';

/**
 * The monitoring of infra/monitoring against the platform as it runs: a Prometheus (the one
 * `npm run infra:up` builds) scrapes every service of a platform started for this suite and loads
 * the repository's rules. Every metric a rule or a dashboard names must be exported by a service,
 * every rule must evaluate, every dashboard query must run. promtool checks the same files without
 * a platform (`npm run monitoring:check`); this suite is what catches a renamed metric.
 */
jest.setTimeout(180_000);

const root = resolve(__dirname, '../../..');
const monitoringDir = join(root, 'infra/monitoring');

/** Series Prometheus makes itself, and the ALERTS series of its rules: nothing exports them. */
const madeByPrometheus = new Set([
  'up',
  'ALERTS',
  'ALERTS_FOR_STATE',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
]);

interface RuleGroups {
  groups: {
    file: string;
    rules: {
      name: string;
      query: string;
      type: 'alerting' | 'recording';
      health: string;
      lastError?: string;
      lastEvaluation: string;
    }[];
  }[];
}

function prometheusBinary(): string {
  const run = spawnSync(process.execPath, [join(root, 'tools/monitoring/src/cli.ts'), 'binaries'], {
    encoding: 'utf8',
  });
  if (run.status !== 0)
    throw new Error(`Prometheus is not installed (npm run infra:up installs it): ${run.stderr}`);
  return (JSON.parse(run.stdout) as { prometheus: string }).prometheus;
}

/** The metric names a PromQL expression selects, from Prometheus' own parse (`/api/v1/parse_query`). */
function selectedNames(node: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((child) => selectedNames(child, names));
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (
      (record.type === 'vectorSelector' || record.type === 'matrixSelector') &&
      typeof record.name === 'string' &&
      record.name
    )
      names.add(record.name);
    Object.values(record).forEach((child) => selectedNames(child, names));
  }
  return names;
}

/** Every series name a /metrics text can hold: each family, with its histogram and summary series. */
function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name = '', type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name);
    if (type === 'histogram') ['_bucket', '_sum', '_count'].forEach((suffix) => names.add(name + suffix));
    if (type === 'summary') ['_sum', '_count'].forEach((suffix) => names.add(name + suffix));
  }
  return names;
}

/** Every query of every dashboard; a dashboard that does not parse fails here (and in monitoring:check). */
function everyDashboardQuery() {
  return readDashboards(join(monitoringDir, 'grafana/dashboards')).flatMap(({ file, json, parseError }) => {
    if (!json) throw new Error(`${file} is not JSON: ${parseError}`);
    return dashboardQueries(file, json).map((query) => ({ file, ...query }));
  });
}

describe('monitoring: Prometheus scraping the running platform with the repository’s rules', () => {
  const suite = usePlatform();
  let prometheus: ChildProcess | undefined;
  let prometheusUrl = '';
  let dataDir = '';

  async function api<T>(path: string, query?: string): Promise<T> {
    const response = await fetch(`${prometheusUrl}${path}`, {
      method: query === undefined ? 'GET' : 'POST',
      ...(query === undefined ? {} : { body: new URLSearchParams({ query }) }),
    });
    const answer = (await response.json()) as { status: string; data: T; error?: string };
    if (answer.status !== 'success') throw new Error(`${path} ${query ?? ''}: ${answer.error}`);
    return answer.data;
  }

  beforeAll(async () => {
    const binary = prometheusBinary();
    dataDir = await mkdtemp(join(tmpdir(), 'monitoring-e2e-'));
    const targets = Object.fromEntries(
      scrapedServices.map((service) => [
        service,
        new URL(suite.platform.process(service).operationsUrl).host,
      ]),
    ) as Record<ScrapedService, string>;
    const config = join(dataDir, 'prometheus.yml');
    await writeFile(
      config,
      prometheusConfig({
        targets,
        ruleFiles: [join(monitoringDir, 'rules/*.yml')],
        scrapeInterval: '1s',
        evaluationInterval: '1s',
      }),
    );
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      binary,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dataDir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    await eventually(
      async () => (await fetch(`${prometheusUrl}/-/ready`).catch(() => undefined))?.ok || undefined,
      60_000,
      250,
    );

    // Traffic for the series that only exist once something happened: a confirmed and a cancelled saga.
    const { shop } = suite;
    const customer = await shop.newCustomer();
    const product = await shop.stockedProduct(10);
    const confirmed = await shop.acceptedOrder(customer, [{ sku: product.sku, quantity: 1 }]);
    const declined = await shop.acceptedOrder(
      customer,
      [{ sku: product.sku, quantity: 1 }],
      'tok_chargeDeclined',
    );
    await shop.finalOrder(confirmed);
    await shop.finalOrder(declined);
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      prometheus.kill('SIGTERM');
      await once(prometheus, 'exit');
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('when Prometheus scrapes every service, then every target is up', async () => {
    const targets = await eventually(
      async () => {
        const { activeTargets } = await api<{
          activeTargets: { scrapePool: string; health: string; lastError: string }[];
        }>('/api/v1/targets');
        return activeTargets.length === scrapedServices.length &&
          activeTargets.every((target) => target.health === 'up')
          ? activeTargets
          : undefined;
      },
      60_000,
      500,
    );
    expect(targets.map((target) => target.scrapePool).sort()).toEqual([...scrapedServices].sort());
  });

  it('when the rules and dashboards name a metric, then a running service exports it', async () => {
    const exported = new Set<string>(madeByPrometheus);
    for (const service of scrapedServices) {
      const response = await fetch(`${suite.platform.process(service).operationsUrl}/metrics`);
      expect(response.status).toBe(200);
      exportedNames(await response.text()).forEach((name) => exported.add(name));
    }
    const { groups } = await api<RuleGroups>('/api/v1/rules');
    const rules = groups.flatMap((group) => group.rules.map((rule) => ({ ...rule, file: group.file })));
    rules.filter((rule) => rule.type === 'recording').forEach((rule) => exported.add(rule.name));
    expect(rules.length).toBeGreaterThan(0);

    const queries = [
      ...rules.map((rule) => ({
        where: `${rule.file.replace(`${monitoringDir}/`, '')} ${rule.name}`,
        promql: rule.query,
      })),
      ...everyDashboardQuery().map((query) => ({
        where: `${query.file} ${query.where}`,
        promql: query.promql,
      })),
    ];
    const unexported: string[] = [];
    for (const query of queries) {
      for (const name of selectedNames(await api('/api/v1/parse_query', query.promql)))
        if (!exported.has(name)) unexported.push(`${name} (${query.where})`);
    }
    expect(unexported).toEqual([]);
  });

  it('when Prometheus has evaluated the rules on the live series, then every rule is healthy', async () => {
    const rules = await eventually(
      async () => {
        const { groups } = await api<RuleGroups>('/api/v1/rules');
        const all = groups.flatMap((group) => group.rules);
        return all.every((rule) => !rule.lastEvaluation.startsWith('0001-')) ? all : undefined;
      },
      60_000,
      500,
    );
    expect(
      rules.filter((rule) => rule.health !== 'ok').map((rule) => `${rule.name}: ${rule.lastError}`),
    ).toEqual([]);
  });

  it('when every dashboard query runs against the live series, then none fails and the saga outcomes show this suite’s two orders', async () => {
    const failures: string[] = [];
    let withData = 0;
    for (const query of everyDashboardQuery()) {
      try {
        const data = await api<{ result: unknown[] }>('/api/v1/query', query.promql);
        if (data.result.length > 0) withData++;
      } catch (error) {
        failures.push(`${query.file} ${query.where}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
    expect(withData).toBeGreaterThan(0);
    // The saga outcomes panel's series: this suite's confirmed order and its declined one.
    const outcomes = await eventually(
      async () => {
        const { result } = await api<{ result: { metric: { outcome: string; reason: string } }[] }>(
          '/api/v1/query',
          'sum by (outcome, reason) (order_completion_duration_seconds_count)',
        );
        return result.length >= 2 ? result : undefined;
      },
      30_000,
      500,
    );
    expect(outcomes.map(({ metric }) => `${metric.outcome} ${metric.reason}`).sort()).toEqual([
      'CANCELLED PAYMENT_DECLINED',
      'CONFIRMED none',
    ]);
  });
});
