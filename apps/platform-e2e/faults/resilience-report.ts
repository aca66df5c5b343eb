import { execSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { figuresDir, type ScenarioFigures } from './resilience-figures';

export const reportFile = resolve(__dirname, '../../../reports/resilience.md');

/** jest's globalSetup of the fault suite: the figures of an earlier run are not this run's. */
export default function clearFigures(): void {
  rmSync(figuresDir, { recursive: true, force: true });
}

function cell(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? '–' : entries.map(([name, count]) => `${name} ${count}`).join(', ');
}

function commit(): string {
  try {
    return execSync('git rev-parse --short HEAD', {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

/** reports/resilience.md from the figures the scenarios of this run left, in the order they ran. */
export function writeResilienceReport(): string | undefined {
  let files: string[];
  try {
    files = readdirSync(figuresDir).filter((file) => file.endsWith('.json'));
  } catch {
    return undefined;
  }
  const figures = files
    .map((file) => JSON.parse(readFileSync(join(figuresDir, file), 'utf8')) as ScenarioFigures)
    .sort((a, b) => a.startedAt - b.startedAt);
  if (figures.length === 0) return undefined;
  const rows = figures.map((each) =>
    [
      each.scenario,
      each.seed,
      each.load.sent,
      each.load.accepted,
      each.load.retried,
      cell({
        ...each.load.refused,
        ...(each.load.unanswered ? { unanswered: each.load.unanswered } : {}),
        ...(each.load.unsettled ? { unsettled: each.load.unsettled } : {}),
      }),
      each.confirmed,
      cell(each.cancelled),
      each.violations.length === 0 ? '0' : `**${each.violations.length}**`,
      each.faultSeconds.toFixed(1),
      each.recoverySeconds.toFixed(1),
    ].join(' | '),
  );
  const violations = figures.flatMap((each) => each.violations.map((line) => `- ${each.scenario}: ${line}`));
  const text = [
    '# Resilience report',
    '',
    `Written by \`npm run test:faults\` (apps/platform-e2e/faults) at ${new Date().toISOString()}, commit`,
    `\`${commit()}\`, on ${cpus().length} cores. Each scenario runs under a steady stream of orders through`,
    'the gateway (4 a second, 85 % approved cards, 15 % declined, one product that runs out), then the',
    'invariant checker judges every order the suite placed. See',
    '[docs/testing.md](../docs/testing.md#the-fault-suite) for what each scenario does.',
    '',
    '- **sent**: orders the load sent; **placed**: answered 202; **asked again**: sent again with the same',
    '  `Idempotency-Key` after no answer, a 5xx or a 429; **not placed**: the last answer of the others',
    '  (**unsettled**: a 5xx or broken connection that may hide a taken order, and no answer since).',
    '- **fault**: how long the fault lasted; **recovered**: from its end to the first order placed after',
    '  it that was CONFIRMED.',
    '',
    '| scenario | seed | sent | placed | asked again | not placed | confirmed | cancelled | violations | fault (s) | recovered (s) |',
    '| --- | --: | --: | --: | --: | --- | --: | --- | --: | --: | --: |',
    ...rows.map((row) => `| ${row} |`),
    '',
    ...(violations.length > 0 ? ['## Violations', '', ...violations, ''] : []),
  ].join('\n');
  mkdirSync(resolve(reportFile, '..'), { recursive: true });
  writeFileSync(reportFile, text);
  return reportFile;
}
