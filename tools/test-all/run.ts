/**
 * Runs every suite against the real infrastructure, the way CI does: installs and starts the
 * local servers, then static checks, unit/component/contract tests, integration tests, end-to-end
 * tests and the compose check. Ends with one line `N passed, N failed` (tests counted from jest's
 * JSON reports; a failing step without a report counts as one failure) and a non-zero exit code
 * on any failure.
 *
 * Usage: npm run test:all [-- --keep-infra]
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const resultsDir = join(root, 'tmp/test-results');
const keepInfra = process.argv.includes('--keep-infra');

interface Step {
  name: string;
  command: string;
  /** Steps whose jest reports carry the counts; others count as one check. */
  reportsTests: boolean;
}

const steps: Step[] = [
  {
    name: 'lint and typecheck',
    command: 'npx nx run-many -t lint,typecheck --output-style=static',
    reportsTests: false,
  },
  {
    name: 'unit, component and contract tests',
    command: 'npx nx run-many -t test --output-style=static',
    reportsTests: true,
  },
  {
    name: 'integration tests (real servers)',
    command: 'npx nx run-many -t integration --output-style=static',
    reportsTests: true,
  },
  {
    name: 'Chromium for the storefront tests (Debian package; installed if missing)',
    command: 'npm run -s browser:install',
    reportsTests: false,
  },
  {
    name: 'schemathesis for the contract fuzzing (PyPI, pinned; installed if missing)',
    command: 'npm run -s fuzz:install',
    reportsTests: false,
  },
  {
    name: 'end-to-end tests (processes, real HTTP, Jaeger, Chromium, schemathesis)',
    command: 'npx nx run-many -t e2e --output-style=static',
    reportsTests: true,
  },
  {
    name: 'fault suite: processes killed, a rebalance, broker, cache and stores down, provider faults, messages abused, under load',
    command: 'npm run -s test:faults',
    reportsTests: true,
  },
  {
    name: 'docker-compose.yml against the compose spec',
    command: 'npm run -s compose:check',
    reportsTests: false,
  },
  {
    name: 'Prometheus rules, rule tests and Grafana dashboards (promtool)',
    command: 'npm run -s monitoring:check',
    reportsTests: false,
  },
  {
    name: 'Kubernetes manifests: kustomize build, strict schema validation, our rules (infra/k8s)',
    command: 'npm run -s k8s:check',
    reportsTests: false,
  },
];

function sh(command: string): Promise<number> {
  return new Promise((done) => {
    const child = spawn(command, { cwd: root, shell: true, stdio: 'inherit' });
    child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

function banner(text: string): void {
  process.stdout.write(`\n=== ${text} ===\n`);
}

function countJestReports(): { passed: number; failed: number } {
  if (!existsSync(resultsDir)) return { passed: 0, failed: 0 };
  let passed = 0;
  let failed = 0;
  for (const file of readdirSync(resultsDir).filter((name) => name.endsWith('.json'))) {
    const report = JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numRuntimeErrorTestSuites: number;
    };
    passed += report.numPassedTests;
    // A suite that could not even run (a syntax error, a failing beforeAll) hides its tests: count it.
    failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
  }
  return { passed, failed };
}

interface Outcome {
  name: string;
  code: number;
  reportsTests: boolean;
}

async function main(): Promise<number> {
  rmSync(resultsDir, { recursive: true, force: true });
  const started = performance.now();
  const infraWasRunning = (await sh('npm run -s infra:status -- --ready >/dev/null 2>&1')) === 0;
  banner('infrastructure: install if missing, start, wait until each answers');
  const outcomes: Outcome[] = [
    { name: 'infrastructure up', code: await sh('npm run -s infra:up'), reportsTests: false },
  ];
  if (outcomes[0]?.code === 0) {
    for (const step of steps) {
      banner(step.name);
      outcomes.push({ name: step.name, code: await sh(step.command), reportsTests: step.reportsTests });
    }
  }
  if (!keepInfra && !infraWasRunning) {
    banner('infrastructure: stopping what this run started');
    await sh('npm run -s infra:down');
  }

  const tests = countJestReports();
  const checks = outcomes.filter((outcome) => !outcome.reportsTests);
  const failedChecks = checks.filter((outcome) => outcome.code !== 0).length;
  // A test step that failed with every report green (it crashed before jest wrote one) still fails.
  const unreported =
    tests.failed === 0 ? outcomes.filter((outcome) => outcome.reportsTests && outcome.code !== 0).length : 0;
  const passed = tests.passed + checks.length - failedChecks;
  const failed = tests.failed + failedChecks + unreported;

  banner(`summary (${Math.round((performance.now() - started) / 1000)} s)`);
  for (const outcome of outcomes)
    process.stdout.write(`${outcome.code === 0 ? 'ok  ' : 'FAIL'}  ${outcome.name}\n`);
  process.stdout.write(
    `tests: ${tests.passed} passed, ${tests.failed} failed; checks: ${checks.length - failedChecks} passed, ${failedChecks} failed\n`,
  );
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
