/**
 * Validates docker-compose.yml without a Docker engine, then checks what the compose profile
 * promises.
 *
 *   node tools/compose-check/check.ts [compose-file]   validate (default: <repo>/docker-compose.yml)
 *   node tools/compose-check/check.ts --self-test      prove the check fails on broken copies
 *
 * Step 1 is compose-spec's own loader (compose-go, the library Docker Compose is built on), built
 * from main.go through the Go module proxy into <INFRA_HOME>/install/compose-check/ on first use:
 * parsing, interpolation, the compose-spec JSON schema, consistency (depends_on to services that
 * exist), plus BuildKit's parser and instruction checks on the Dockerfile each service builds
 * from. Step 2 reads the normalized model it prints and asserts our own rules.
 *
 * Runs on Node 24 with type stripping: erasable TypeScript only.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

const toolDir = import.meta.dirname;
const root = resolve(toolDir, '../..');
const infraHome = process.env.INFRA_HOME ? resolve(process.env.INFRA_HOME) : join(root, '.infra');
const installDir = join(infraHome, 'install', 'compose-check');

/** The only ports published on the host: the public edge and the UIs (traces, metrics, dashboards). */
const publishedPorts: Record<string, number[]> = {
  gateway: [8080],
  jaeger: [16686],
  prometheus: [9090],
  grafana: [3000],
};

/** Where files bound into containers may come from: compose's own, and the monitoring config. */
const bindRoots = ['infra/compose', 'infra/monitoring'];

/** The stores each app owns or uses (docs/architecture.md#services); every app also waits for jaeger. */
const infraOf: Record<string, string[]> = {
  gateway: ['redis'],
  auth: ['mongo', 'kafka'],
  order: ['mongo', 'kafka'],
  payment: ['cassandra', 'kafka'],
  inventory: ['mongo', 'redis', 'kafka'],
  notification: ['cassandra', 'kafka'],
  'payment-provider-sim': [],
};

/** Infrastructure whose data must survive `docker compose down` (without -v). */
const stateful = ['kafka', 'cassandra', 'mongo', 'redis'];

interface Volume {
  type: string;
  source?: string;
  target: string;
  read_only?: boolean;
}
interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string; args?: Record<string, string | null> };
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string | null>;
  ports?: Array<{ target: number; published?: string; host_ip?: string }>;
  volumes?: Volume[];
  restart?: string;
}
interface Model {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** Builds the validator when its sources changed since the last build; returns its path. */
function validatorBinary(): string {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(readFileSync(join(toolDir, file)));
  const binary = join(installDir, `compose-check-${hash.digest('hex').slice(0, 12)}`);
  if (existsSync(binary)) return binary;
  mkdirSync(installDir, { recursive: true });
  process.stderr.write(
    `compose-check: building the validator into ${relative(root, installDir)} (first run only)\n`,
  );
  const started = Date.now();
  // Built beside its final name and renamed, so an interrupted build never leaves a half binary.
  const partial = `${binary}.${process.pid}.partial`;
  const build = spawnSync('go', ['build', '-trimpath', '-buildvcs=false', '-o', partial, '.'], {
    cwd: toolDir,
    stdio: 'inherit',
  });
  if (build.error)
    throw new Error(`cannot run go (Go >= 1.24 is needed to build the validator): ${build.error.message}`);
  if (build.status !== 0) throw new Error(`go build failed (exit ${build.status})`);
  renameSync(partial, binary);
  process.stderr.write(`compose-check: built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return binary;
}

/** Step 1: compose-go's verdict. Returns the normalized model, or the loader's error. */
function load(binary: string, file: string): { model?: Model; error?: string } {
  // Run from the file's directory so its .env (if any) is read, as `docker compose` would.
  const run = spawnSync(binary, ['-f', file], {
    cwd: dirname(file),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) return { error: (run.stderr || run.stdout || `exit ${run.status}`).trim() };
  return { model: JSON.parse(run.stdout) as Model };
}

/** Step 2: what we promise beyond the spec. Returns one line per broken promise. */
function promisesBroken(model: Model, projectDir: string): string[] {
  const problems: string[] = [];
  const services = model.services ?? {};
  const namedVolumes = new Set(Object.keys(model.volumes ?? {}));
  const apps = Object.keys(services).filter((name) => services[name]?.build !== undefined);

  for (const [name, service] of Object.entries(services)) {
    const test = service.healthcheck?.test ?? [];
    if (service.healthcheck?.disable || test.length === 0 || test[0] === 'NONE') {
      problems.push(`${name}: no healthcheck`);
    }
    if (service.restart !== 'unless-stopped') {
      problems.push(`${name}: restart is ${service.restart ?? 'unset'}, expected unless-stopped`);
    }
    for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
      if (condition !== 'service_healthy') {
        problems.push(`${name}: depends on ${dependency} with ${condition}, expected service_healthy`);
      }
    }
    const allowed = publishedPorts[name] ?? [];
    for (const port of service.ports ?? []) {
      if (port.published === undefined || port.published === '') continue;
      if (!allowed.includes(Number(port.published)) || port.published !== String(port.target)) {
        problems.push(
          `${name}: publishes host port ${port.published}->${port.target}; only ${JSON.stringify(publishedPorts)} may be published`,
        );
      }
    }
    for (const volume of service.volumes ?? []) {
      if (volume.type === 'volume' && (!volume.source || !namedVolumes.has(volume.source))) {
        problems.push(`${name}: ${volume.target} is an anonymous or undeclared volume; use a named one`);
      }
      const underBindRoot = bindRoots.some((bindRoot) => {
        const fromRoot = relative(join(projectDir, bindRoot), volume.source ?? '/');
        return !fromRoot.startsWith('..') && !isAbsolute(fromRoot);
      });
      if (volume.type === 'bind' && !underBindRoot) {
        problems.push(
          `${name}: binds ${volume.source}; files for compose live under ${bindRoots.join(' or ')}/`,
        );
      }
      if (volume.type === 'bind' && !volume.read_only)
        problems.push(`${name}: binds ${volume.source} writable`);
    }
  }

  for (const name of stateful) {
    const service = services[name];
    if (!service) {
      problems.push(`${name}: missing`);
    } else if (
      !(service.volumes ?? []).some((v) => v.type === 'volume' && v.source && namedVolumes.has(v.source))
    ) {
      problems.push(`${name}: keeps its data without a named volume`);
    }
  }
  if (!services.jaeger) problems.push('jaeger: missing');
  if (!services.prometheus) problems.push('prometheus: missing');
  const scrapeConfig = readFileSync(join(projectDir, 'infra/monitoring/prometheus.yml'), 'utf8');
  for (const name of apps) {
    if (!scrapeConfig.includes(`job_name: ${name}\n`))
      problems.push(`${name}: not scraped (no job_name: ${name} in infra/monitoring/prometheus.yml)`);
  }
  if (!services.gateway) problems.push('gateway: missing');

  for (const name of apps) {
    const service = services[name];
    if (!service) continue;
    const needs = ['jaeger', ...(infraOf[name] ?? [])];
    for (const dependency of needs) {
      if (service.depends_on?.[dependency]?.condition !== 'service_healthy') {
        problems.push(`${name}: must wait for ${dependency} (depends_on with condition service_healthy)`);
      }
    }
    // Catches the usual copy-paste slip when a new app block is made from the gateway's.
    if (service.build?.args?.APP !== name) {
      problems.push(`${name}: build arg APP is ${service.build?.args?.APP ?? 'unset'}, expected ${name}`);
    }
    const env = service.environment ?? {};
    if (env.OTEL_SERVICE_NAME !== name)
      problems.push(`${name}: OTEL_SERVICE_NAME is ${env.OTEL_SERVICE_NAME ?? 'unset'}`);
    if (!env.PORT) problems.push(`${name}: PORT is unset`);
    if (env.PROFILE !== 'compose')
      problems.push(`${name}: PROFILE is ${env.PROFILE ?? 'unset'}, expected compose`);
    // A loopback-bound app passes its own healthcheck yet is unreachable from other containers.
    if (env.HOST !== '0.0.0.0') problems.push(`${name}: HOST is ${env.HOST ?? 'unset'}, expected 0.0.0.0`);
  }
  return problems;
}

function check(binary: string, file: string): { model?: Model; problems: string[] } {
  const { model, error } = load(binary, file);
  if (model === undefined) return { problems: [error ?? 'the validator failed'] };
  return { model, problems: promisesBroken(model, dirname(file)) };
}

/** Each broken copy must be refused, or the check proves nothing; the unbroken copy must pass. */
function selfTest(binary: string, file: string): boolean {
  const compose = readFileSync(file, 'utf8');
  const dockerfile = readFileSync(join(dirname(file), 'Dockerfile'), 'utf8');
  const unchanged = (text: string) => text;
  const breakages: Array<[string, (yaml: string) => string, (dockerfile: string) => string]> = [
    [
      'a misspelt key',
      (y) => y.replace(/(image: cassandra:5[\s\S]*?\n {4})healthcheck:/, '$1healtcheck:'),
      unchanged,
    ],
    [
      'depends_on a missing service',
      (y) =>
        y.replace('mongo: *healthy, redis: *healthy', 'mongo: *healthy, rediss: *healthy, redis: *healthy'),
      unchanged,
    ],
    ['a wrong value type', (y) => y.replace('retries: 10', 'retries: ten'), unchanged],
    [
      'an unset required variable',
      (y) => y.replace('image: redis:7', 'image: redis:${REDIS_TAG:?set REDIS_TAG}'),
      unchanged,
    ],
    [
      'an extra host port',
      (y) => y.replace('image: mongo:8\n', 'image: mongo:8\n    ports: ["27017:27017"]\n'),
      unchanged,
    ],
    [
      'a service without healthcheck',
      (y) => y.replace(/(image: redis:7[\s\S]*?)\n {4}healthcheck:\n[\s\S]*?retries: 10\n/, '$1\n'),
      unchanged,
    ],
    [
      'a dependency that is only started',
      (y) => y.replace('redis: *healthy', 'redis: { condition: service_started }'),
      unchanged,
    ],
    [
      'a data directory without a named volume',
      (y) => y.replace('      - mongo-data:/data/db\n', '      - /data/db\n'),
      unchanged,
    ],
    [
      'configuration bound writable into a container',
      (y) => y.replace('rules:/etc/prometheus/rules:ro', 'rules:/etc/prometheus/rules'),
      unchanged,
    ],
    [
      'an app Prometheus does not scrape',
      (y) =>
        y.replace(
          'services:\n',
          'services:\n  billing:\n    <<: *node-app\n    build: { <<: *node-app-build, args: { APP: billing } }\n    environment: { <<: *node-app-env, PORT: "3009", OTEL_SERVICE_NAME: billing }\n    depends_on: { <<: *needs-tracing }\n',
        ),
      unchanged,
    ],
    [
      'an app copied without renaming APP',
      (y) =>
        y.replace(
          'services:\n',
          'services:\n  order:\n    <<: *node-app\n    build: { <<: *node-app-build, args: { APP: gateway } }\n    environment: { <<: *node-app-env, PORT: "3002", OTEL_SERVICE_NAME: order }\n    depends_on: { <<: *needs-tracing, mongo: *healthy, kafka: *healthy }\n',
        ),
      unchanged,
    ],
    ['an app bound to loopback', (y) => y.replace('  HOST: 0.0.0.0\n', ''), unchanged],
    ['a misspelt Dockerfile flag', unchanged, (d) => d.replace('COPY --from=build', 'COPY --form=build')],
    [
      'a Dockerfile instruction missing its argument',
      unchanged,
      (d) => d.replace(/^WORKDIR \/app$/m, 'WORKDIR'),
    ],
  ];
  const dir = mkdtempSync(join(tmpdir(), 'compose-check-'));
  // Files the compose file refers to (env files) come along, so the unbroken copy is valid.
  for (const bindRoot of bindRoots) cpSync(join(root, bindRoot), join(dir, bindRoot), { recursive: true });
  const copy = join(dir, 'docker-compose.yml');
  const write = (yaml: string, docker: string) => {
    writeFileSync(copy, yaml);
    writeFileSync(join(dir, 'Dockerfile'), docker);
  };
  let ok = true;
  try {
    write(compose, dockerfile);
    const control = check(binary, copy).problems;
    if (control.length > 0) {
      console.log(
        `FAIL  the unbroken copy is refused, so no refusal below would mean anything: ${control[0]}`,
      );
      return false;
    }
    console.log('ok    the unbroken copy passes');
    for (const [what, breakCompose, breakDockerfile] of breakages) {
      const [yaml, docker] = [breakCompose(compose), breakDockerfile(dockerfile)];
      if (yaml === compose && docker === dockerfile) {
        console.log(`FAIL  ${what}: the mutation no longer applies; update the self-test`);
        ok = false;
        continue;
      }
      write(yaml, docker);
      const { problems } = check(binary, copy);
      if (problems.length === 0) {
        console.log(`FAIL  ${what}: accepted`);
        ok = false;
      } else {
        console.log(`ok    ${what}: refused (${problems[0]?.split('\n')[0] ?? ''})`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return ok;
}

function main(): number {
  const args = process.argv.slice(2);
  const file = resolve(args.find((a) => !a.startsWith('--')) ?? join(root, 'docker-compose.yml'));
  const binary = validatorBinary();
  if (args.includes('--self-test')) return selfTest(binary, file) ? 0 : 1;

  const { model, problems } = check(binary, file);
  if (model === undefined || problems.length > 0) {
    console.error(`${relative(process.cwd(), file)}: ${problems.length} problem(s)`);
    for (const problem of problems) console.error(`  - ${problem}`);
    return 1;
  }
  const names = Object.keys(model.services);
  console.log(
    `${relative(process.cwd(), file)}: valid compose-spec; ${names.length} services (${names.join(', ')}) healthy-gated, named volumes, host ports ${JSON.stringify(publishedPorts)}`,
  );
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`compose-check: ${(error as Error).message}`);
  process.exitCode = 1;
}
