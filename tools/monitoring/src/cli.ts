/**
 * Checks infra/monitoring without a running Prometheus, with the promtool the infra recipe builds.
 *
 *   node tools/monitoring/src/cli.ts check       the checks below, on infra/monitoring
 *   node tools/monitoring/src/cli.ts self-test   each check refuses a broken copy (and passes the unbroken one)
 *   node tools/monitoring/src/cli.ts binaries    prints {"prometheus": path, "promtool": path} once installed
 *
 * The checks: `promtool check config` on the compose profile's prometheus.yml (its rule_files
 * pointed at the working tree) and on the local profile's generated one; `promtool check rules`;
 * `promtool test rules` (infra/monitoring/tests); every alert has a test that makes it fire and
 * one that keeps it quiet; every dashboard parses, names the provisioned data source and only
 * known variables; and every dashboard query is PromQL (`promtool promql format`).
 * Installs Prometheus first when `npm run infra:up` has not (a `go install`, minutes on a cold
 * machine). Runs on Node 24 with type stripping: erasable TypeScript only.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the infra CLI's recipe installs the promtool this check runs
import { serverPaths } from '../../infra/src/paths.ts';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the infra CLI's recipe installs the promtool this check runs
import { createProgress } from '../../infra/src/progress.ts';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the infra CLI's recipe installs the promtool this check runs
import { prometheus } from '../../infra/src/servers/prometheus.ts';
import { dashboardProblems, dashboardQueries, readDashboards } from './dashboards.ts';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the infra CLI's recipe installs the promtool this check runs
import { prometheusBinariesIn, type PrometheusBinaries } from '../../infra/src/servers/prometheus-release.ts';
import { alertsDefined, alertsTested, coverageProblems } from './rule-coverage.ts';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the local profile's scrape config, as the recipe writes it
import { localTargets, prometheusConfig } from '../../infra/src/servers/prometheus-config.ts';

const root = resolve(import.meta.dirname, '../../..');
const monitoringDir = join(root, 'infra/monitoring');
/** Where docker-compose.yml mounts infra/monitoring/rules in the Prometheus container. */
const composeRulesDir = '/etc/prometheus/rules/';

interface Check {
  name: string;
  run(dir: string, promtool: string): string[];
}

async function installedBinaries(installIfMissing: boolean): Promise<PrometheusBinaries | undefined> {
  const paths = serverPaths(prometheus);
  if (!(await prometheus.isInstalled(paths))) {
    if (!installIfMissing) return undefined;
    const progress = createProgress('prometheus');
    progress.step(`not installed yet (npm run infra:up installs it): installing into ${paths.installDir}`);
    mkdirSync(paths.installDir, { recursive: true });
    await prometheus.install(paths, progress);
  }
  return prometheusBinariesIn(paths.installDir);
}

/** Runs promtool; its output when it fails, undefined when it passes. */
function promtool(binary: string, args: string[], input?: string): string | undefined {
  const run = spawnSync(binary, args, { encoding: 'utf8', input, maxBuffer: 16 * 1024 * 1024 });
  if (run.error) return `cannot run ${binary}: ${run.error.message}`;
  if (run.status === 0) return undefined;
  const output = (run.stdout + run.stderr).trim();
  const reason = output.split('\n').find((line) => /error|FAILED|invalid|unknown|duplicate/i.test(line));
  return `promtool ${args.slice(0, 2).join(' ')} exited ${run.status}: ${reason?.trim() ?? ''}\n${output}`;
}

function yamlFiles(directory: string): string[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.yml') || file.endsWith('.yaml'))
    .sort()
    .map((file) => join(directory, file));
}

const checks: Check[] = [
  {
    name: 'compose prometheus.yml (promtool check config, rules from the working tree)',
    run(dir, binary) {
      const config = readFileSync(join(dir, 'prometheus.yml'), 'utf8');
      if (!config.includes(composeRulesDir))
        return [
          `prometheus.yml no longer loads its rules from ${composeRulesDir}, where compose mounts them`,
        ];
      const scratch = mkdtempSync(join(tmpdir(), 'monitoring-check-'));
      try {
        const copy = join(scratch, 'prometheus.yml');
        writeFileSync(copy, config.replaceAll(composeRulesDir, `${join(dir, 'rules')}/`));
        const failure = promtool(binary, ['check', 'config', copy]);
        return failure ? [failure] : [];
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'local profile prometheus.yml, as the infra recipe writes it (promtool check config)',
    run(dir, binary) {
      const scratch = mkdtempSync(join(tmpdir(), 'monitoring-check-'));
      try {
        const copy = join(scratch, 'prometheus.yml');
        writeFileSync(
          copy,
          prometheusConfig({
            targets: localTargets(),
            ruleFiles: [join(dir, 'rules/*.yml')],
            scrapeInterval: '10s',
            evaluationInterval: '10s',
          }),
        );
        const failure = promtool(binary, ['check', 'config', copy]);
        return failure ? [failure] : [];
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'rules (promtool check rules, duplicate rules fatal)',
    run(dir, binary) {
      const failure = promtool(binary, [
        'check',
        'rules',
        '--lint=all',
        '--lint-fatal',
        ...yamlFiles(join(dir, 'rules')),
      ]);
      return failure ? [failure] : [];
    },
  },
  {
    name: 'rule unit tests (promtool test rules)',
    run(dir, binary) {
      const failure = promtool(binary, ['test', 'rules', ...yamlFiles(join(dir, 'tests'))]);
      return failure ? [failure] : [];
    },
  },
  {
    name: 'every alert has a test where it fires and one where it stays quiet',
    run(dir) {
      const defined = yamlFiles(join(dir, 'rules')).flatMap((file) =>
        alertsDefined(readFileSync(file, 'utf8')),
      );
      const tested = yamlFiles(join(dir, 'tests')).map((file) => alertsTested(readFileSync(file, 'utf8')));
      if (defined.length === 0) return ['no alert found in rules/: the rule files changed shape?'];
      return coverageProblems(defined, tested);
    },
  },
  {
    name: 'dashboards parse, name the provisioned data source and known variables',
    run(dir) {
      const files = readDashboards(join(dir, 'grafana/dashboards'));
      if (files.length === 0) return ['no dashboard in grafana/dashboards'];
      return dashboardProblems(files);
    },
  },
  {
    name: 'every dashboard query is PromQL (promtool promql format)',
    run(dir, binary) {
      const problems: string[] = [];
      for (const { file, json } of readDashboards(join(dir, 'grafana/dashboards'))) {
        if (!json) continue;
        let queries;
        try {
          queries = dashboardQueries(file, json);
        } catch {
          continue; // reported by the check above
        }
        for (const query of queries) {
          const failure = promtool(binary, ['--experimental', 'promql', 'format', query.promql]);
          if (failure) problems.push(`${file} ${query.where}: ${failure.split('\n').slice(1).join(' ')}`);
        }
      }
      return problems;
    },
  },
];

/** Every check's problems; with `firstOnly` (the self-test) it stops at the first check that finds any. */
function runChecks(dir: string, binary: string, quiet = false, firstOnly = false): string[] {
  const problems: string[] = [];
  for (const check of checks) {
    if (firstOnly && problems.length > 0) break;
    const found = check.run(dir, binary);
    if (!quiet) console.log(`${found.length === 0 ? 'ok  ' : 'FAIL'}  ${check.name}`);
    for (const problem of found) {
      if (!quiet) console.log(problem.replace(/^/gm, '        '));
      problems.push(`${check.name}: ${problem}`);
    }
  }
  return problems;
}

/** Replaces `from` (which must occur) in a file under the copy. */
function edit(file: string, from: string | RegExp, to: string): (dir: string) => void {
  return (dir) => {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    const changed = text.replace(from, to);
    if (changed === text) throw new Error(`${file}: the mutation no longer applies; update the self-test`);
    writeFileSync(path, changed);
  };
}

const breakages: Array<[string, (dir: string) => void]> = [
  [
    'a compose scrape config with a misspelt key',
    edit('prometheus.yml', 'scrape_configs:', 'scrape_config:'),
  ],
  [
    'a rule that is not PromQL',
    edit('rules/slo-order-placement.yml', '> (14.4 * 0.001)\n', '> (14.4 * 0.001\n'),
  ],
  [
    'a rule file with the same rule twice',
    edit(
      'rules/platform-alerts.yml',
      /(\n {6}- record: group_topic:messaging_consumer_lag:sum\n.*\n)/,
      '$1$1',
    ),
  ],
  [
    'an alert whose threshold its tests no longer hold (1.44 % → 14.4 %)',
    edit('rules/slo-order-placement.yml', /14\.4 \* 0\.001/g, '14.4 * 0.01'),
  ],
  [
    'an alert no test makes fire',
    edit(
      'rules/platform-alerts.yml',
      '\n      - alert: ScrapeTargetDown\n',
      '\n      - alert: UntestedAlert\n        expr: vector(1)\n      - alert: ScrapeTargetDown\n',
    ),
  ],
  ['a dashboard that is not JSON', edit('grafana/dashboards/slo.json', /\}\s*$/, '')],
  [
    'a dashboard query that is not PromQL',
    edit('grafana/dashboards/red.json', 'sum by (service) (rate(', 'sum by (service) (rate(('),
  ],
  [
    'a dashboard on another data source',
    edit('grafana/dashboards/red.json', '"uid": "prometheus"', '"uid": "loki"'),
  ],
  [
    'a dashboard with an unknown variable',
    edit('grafana/dashboards/red.json', 'up{job=~\\"$service\\"}', 'up{job=~\\"$servce\\"}'),
  ],
];

function selfTest(binary: string): boolean {
  const scratch = mkdtempSync(join(tmpdir(), 'monitoring-self-test-'));
  const copy = join(scratch, 'monitoring');
  let ok = true;
  try {
    cpSync(monitoringDir, copy, { recursive: true });
    const control = runChecks(copy, binary, true);
    if (control.length > 0) {
      console.log(
        `FAIL  the unbroken copy is refused, so no refusal below would mean anything: ${control[0]}`,
      );
      return false;
    }
    console.log('ok    the unbroken copy passes');
    for (const [what, breakCopy] of breakages) {
      rmSync(copy, { recursive: true, force: true });
      cpSync(monitoringDir, copy, { recursive: true });
      try {
        breakCopy(copy);
      } catch (error) {
        console.log(`FAIL  ${what}: ${(error as Error).message}`);
        ok = false;
        continue;
      }
      const problems = runChecks(copy, binary, true, true);
      if (problems.length === 0) {
        console.log(`FAIL  ${what}: accepted`);
        ok = false;
      } else {
        console.log(`ok    ${what}: refused (${firstLine(problems[0] ?? '')})`);
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return ok;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

async function main(command: string): Promise<number> {
  if (command === 'binaries') {
    const binaries = await installedBinaries(false);
    if (!binaries) {
      console.error(
        'Prometheus is not installed: npm run infra:up -- prometheus (or npm run monitoring:check) installs it',
      );
      return 1;
    }
    console.log(JSON.stringify(binaries));
    return 0;
  }
  const binaries = await installedBinaries(true);
  if (!binaries) return 1;
  if (command === 'self-test') return selfTest(binaries.promtool) ? 0 : 1;
  if (command !== 'check') {
    console.error('usage: cli.ts check | self-test | binaries');
    return 2;
  }
  const problems = runChecks(monitoringDir, binaries.promtool);
  const where = relative(process.cwd(), monitoringDir) || '.';
  if (problems.length > 0) {
    console.error(`${where}: ${problems.length} problem(s)`);
    return 1;
  }
  console.log(`${where}: config, rules, rule tests, alert coverage and dashboards pass`);
  return 0;
}

try {
  process.exitCode = await main(process.argv[2] ?? 'check');
} catch (error) {
  console.error(`monitoring: ${(error as Error).stack ?? error}`);
  process.exitCode = 1;
}
