/**
 * Validates the Kubernetes manifests (infra/k8s) without a cluster, then checks what they promise.
 *
 *   node tools/k8s-check/check.ts               build and check every overlay of infra/k8s/overlays
 *   node tools/k8s-check/check.ts --self-test   prove the check fails on broken copies
 *
 * Step 1 builds each overlay with kustomize (v5.7.1, `go install`ed into .infra/tools/kustomize on
 * first use). Step 2 validates every built resource against the Kubernetes OpenAPI schemas with
 * kubernetes-validate (pinned in requirements.txt, a virtualenv in .infra/tools/kubernetes-validate;
 * the schemas ship inside the package, so no network is needed once installed), strictly: an
 * unknown field is an error. Step 3 parses the built YAML and asserts our own rules (probes on the
 * right ports, requests and limits, non-root and read-only, a PDB per Deployment, an HPA per Kafka
 * consumer, the production overlay's replicas).
 *
 * Runs on Node 24 with type stripping: erasable TypeScript only.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ensurePinnedVenv } from '../infra/src/pinned-venv.ts';
import { localMetricsPorts } from '../infra/src/servers/prometheus-config.ts';

const toolDir = import.meta.dirname;
const root = resolve(toolDir, '../..');
const manifestsDir = join(root, 'infra/k8s');
const toolsHome = join(root, '.infra/tools');

const kustomizeModule = 'sigs.k8s.io/kustomize/kustomize/v5';
/** v5.8 needs Go 1.27. */
const kustomizeVersion = 'v5.7.1';
const kustomizeBin = join(toolsHome, 'kustomize/kustomize');
const validatorVenv = join(toolsHome, 'kubernetes-validate');
const validatorBin = join(validatorVenv, 'bin/kubernetes-validate');
/** The API version the manifests are checked against (kubernetes-validate bundles its schemas). */
const kubernetesVersion = '1.34.0';

/**
 * Each app and the port its /healthz, /readyz and /metrics answer on (the gateway: OPS_PORT, not
 * the public one), as Prometheus scrapes them.
 */
const probePortOf: Record<string, number> = localMetricsPorts;
const apps = Object.keys(probePortOf);
/** The Kafka consumers, scaled by an HPA each. */
const consumers = ['order', 'payment', 'inventory', 'notification'];
/** compose's stop_grace_period. */
const gracePeriodSeconds = 20;
/** Replicas per app in the production overlay; the simulator keeps its state in memory: one. */
const productionReplicasOf = (app: string) => (app === 'payment-provider-sim' ? 1 : 3);
/** Secrets that the production overlay expects from outside (docs/scaling.md#secrets). */
const externalSecretsOf: Record<string, string[]> = { production: ['platform-secrets'] };

function say(line: string): void {
  process.stdout.write(`k8s: ${line}\n`);
}

function run(command: string, args: string[], env?: NodeJS.ProcessEnv): boolean {
  say(`${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: env ?? process.env });
  if (result.error) throw new Error(`cannot run ${command}: ${result.error.message}`);
  return result.status === 0;
}

/** kustomize at the pinned version; `go install`ed when missing or another version. */
function kustomize(): string {
  if (existsSync(kustomizeBin)) {
    const version = spawnSync(kustomizeBin, ['version'], { encoding: 'utf8' }).stdout.trim();
    if (version === kustomizeVersion) return kustomizeBin;
  }
  say(
    `installing kustomize ${kustomizeVersion} into ${relative(root, dirname(kustomizeBin))} (first run only)`,
  );
  const started = Date.now();
  mkdirSync(dirname(kustomizeBin), { recursive: true });
  const ok = run('go', ['install', `${kustomizeModule}@${kustomizeVersion}`], {
    ...process.env,
    GOBIN: dirname(kustomizeBin),
    GOWORK: 'off',
    GOFLAGS: '-buildvcs=false',
  });
  if (!ok || !existsSync(kustomizeBin))
    throw new Error('go install of kustomize failed (needs Go >= 1.24 and the Go module proxy)');
  say(`kustomize installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return kustomizeBin;
}

/** kubernetes-validate at the versions of requirements.txt; reinstalled when that file changes. */
function validator(): string {
  return ensurePinnedVenv({
    venv: validatorVenv,
    requirements: join(toolDir, 'requirements.txt'),
    binary: validatorBin,
    say,
  });
}

function dirname(path: string): string {
  return resolve(path, '..');
}

interface Tools {
  kustomize: string;
  validator: string;
}

// The parts of the built resources the rules read; everything else is the schema's business.
interface Metadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
}
interface Probe {
  httpGet?: { path?: string; port?: number | string };
}
interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[] };
  seccompProfile?: { type?: string };
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
  };
}
interface Container {
  name: string;
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: SecurityContext;
}
interface PodSpec {
  containers: Container[];
  securityContext?: SecurityContext;
  terminationGracePeriodSeconds?: number;
  topologySpreadConstraints?: Array<{ topologyKey: string }>;
}
interface Resource {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    template?: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
    scaleTargetRef?: { kind: string; name: string };
    minReplicas?: number;
    maxReplicas?: number;
  };
}

/** Step 1: kustomize's output, or its error. */
function build(tools: Tools, overlay: string): { yaml?: string; error?: string } {
  const result = spawnSync(tools.kustomize, ['build', overlay], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0)
    return { error: `kustomize build: ${(result.stderr || `exit ${result.status}`).trim()}` };
  return { yaml: result.stdout };
}

/** Step 2: every resource against the Kubernetes schemas, strictly. Returns the refusals. */
function validate(tools: Tools, files: string[]): string[] {
  const result = spawnSync(
    tools.validator,
    ['--strict', '--kubernetes-version', kubernetesVersion, '--quiet', '--no-warn', ...files],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const output = `${result.stdout}\n${result.stderr}`;
  const errors = output.split('\n').filter((line) => line.startsWith('ERROR'));
  if (result.status !== 0 && errors.length === 0)
    errors.push(`kubernetes-validate failed (exit ${result.status}): ${output.trim().split('\n').pop()}`);
  return errors;
}

const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> = {}) =>
  selector !== undefined &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/** Step 3: what we promise beyond the schemas. Returns one line per broken promise. */
function promisesBroken(overlay: string, resources: Resource[]): string[] {
  const problems: string[] = [];
  const of = (kind: string) => resources.filter((r) => r.kind === kind);
  const named = (kind: string, name: string) => of(kind).find((r) => r.metadata.name === name);
  const configMaps = of('ConfigMap');
  const secrets = of('Secret');
  const config = Object.assign({}, ...configMaps.map((c) => c.data ?? {})) as Record<string, string>;
  const partitions = Number(config['KAFKA_TOPIC_PARTITIONS'] ?? 3);

  for (const resource of resources) {
    const text = JSON.stringify(resource);
    if (text.includes('REPLACE-ME'))
      problems.push(`${resource.kind}/${resource.metadata.name}: still holds a REPLACE-ME placeholder`);
  }

  const appDeployments = of('Deployment').filter(
    (d) => d.metadata.labels?.['app.kubernetes.io/component'] === 'app',
  );
  for (const app of apps)
    if (!appDeployments.some((d) => d.metadata.name === app)) problems.push(`${app}: no Deployment`);

  for (const deployment of appDeployments) {
    const name = deployment.metadata.name;
    const pod = deployment.spec?.template?.spec;
    const labels = deployment.spec?.template?.metadata?.labels ?? {};
    if (!pod) {
      problems.push(`${name}: no pod template`);
      continue;
    }
    const expectedPort = probePortOf[name];
    if (expectedPort === undefined) problems.push(`${name}: not one of the apps (${apps.join(', ')})`);
    if (pod.terminationGracePeriodSeconds !== gracePeriodSeconds)
      problems.push(
        `${name}: terminationGracePeriodSeconds is ${pod.terminationGracePeriodSeconds ?? 'unset'}, expected ${gracePeriodSeconds} (compose's stop_grace_period)`,
      );
    for (const container of pod.containers) {
      const where = `${name}/${container.name}`;
      const portNumber = (port: number | string | undefined) =>
        typeof port === 'number' ? port : container.ports?.find((p) => p.name === port)?.containerPort;
      for (const [probe, path] of [
        ['readinessProbe', '/readyz'],
        ['livenessProbe', '/healthz'],
      ] as const) {
        const httpGet = container[probe]?.httpGet;
        if (!httpGet) problems.push(`${where}: no ${probe} (GET ${path})`);
        else if (httpGet.path !== path || portNumber(httpGet.port) !== expectedPort)
          problems.push(
            `${where}: ${probe} is GET ${httpGet.path} on port ${portNumber(httpGet.port) ?? httpGet.port}, expected GET ${path} on ${expectedPort}`,
          );
      }
      for (const side of ['requests', 'limits'] as const)
        for (const resource of ['cpu', 'memory'])
          if (!container.resources?.[side]?.[resource]) problems.push(`${where}: no ${resource} ${side}`);
      const own = container.securityContext ?? {};
      const shared = pod.securityContext ?? {};
      if ((own.runAsNonRoot ?? shared.runAsNonRoot) !== true)
        problems.push(`${where}: runAsNonRoot is not true`);
      const user = own.runAsUser ?? shared.runAsUser;
      if (user === undefined || user === 0)
        problems.push(`${where}: runAsUser is ${user ?? 'unset'}; a numeric non-root uid is needed`);
      if (own.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem is not true`);
      if (own.allowPrivilegeEscalation !== false)
        problems.push(`${where}: allowPrivilegeEscalation is not false`);
      if (!own.capabilities?.drop?.includes('ALL')) problems.push(`${where}: capabilities do not drop ALL`);
      if ((own.seccompProfile ?? shared.seccompProfile)?.type !== 'RuntimeDefault')
        problems.push(`${where}: seccompProfile is not RuntimeDefault`);
      const env = new Map((container.env ?? []).map((v) => [v.name, v]));
      if (env.get('OTEL_SERVICE_NAME')?.value !== name)
        problems.push(`${where}: OTEL_SERVICE_NAME is ${env.get('OTEL_SERVICE_NAME')?.value ?? 'unset'}`);
      const servingPort = name === 'gateway' ? env.get('OPS_PORT')?.value : env.get('PORT')?.value;
      if (Number(servingPort) !== expectedPort)
        problems.push(
          `${where}: ${name === 'gateway' ? 'OPS_PORT' : 'PORT'} is ${servingPort ?? 'unset'}, expected ${expectedPort}`,
        );
      // Every object referred to is in the build, but for the secrets the overlay expects from outside.
      const external = externalSecretsOf[overlay] ?? [];
      for (const variable of container.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (!ref || external.includes(ref.name)) continue;
        const secret = secrets.find((s) => s.metadata.name === ref.name);
        if (!secret)
          problems.push(`${where}: ${variable.name} refers to a Secret ${ref.name} that is not in the build`);
        else if ({ ...secret.data, ...secret.stringData }[ref.key] === undefined)
          problems.push(
            `${where}: ${variable.name} refers to key ${ref.key}, missing from Secret ${ref.name}`,
          );
      }
      for (const source of container.envFrom ?? [])
        if (source.configMapRef && !configMaps.some((c) => c.metadata.name === source.configMapRef?.name))
          problems.push(
            `${where}: envFrom names a ConfigMap ${source.configMapRef.name} that is not in the build`,
          );
    }
    if (!of('PodDisruptionBudget').some((pdb) => selects(pdb.spec?.selector?.matchLabels, labels)))
      problems.push(`${name}: no PodDisruptionBudget selects it`);
    const service = named('Service', name) as { spec?: { selector?: Record<string, string> } } | undefined;
    if (!service || !selects(service.spec?.selector, labels))
      problems.push(`${name}: no Service of that name selects it`);

    if (overlay === 'production') {
      const replicas = deployment.spec?.replicas ?? 1;
      if (replicas !== productionReplicasOf(name))
        problems.push(
          `${name}: ${replicas} replica(s) in production, expected ${productionReplicasOf(name)}`,
        );
      if (!pod.topologySpreadConstraints?.some((c) => c.topologyKey === 'topology.kubernetes.io/zone'))
        problems.push(
          `${name}: not spread across zones (topologySpreadConstraints on topology.kubernetes.io/zone)`,
        );
    }
  }

  for (const consumer of consumers) {
    const hpa = of('HorizontalPodAutoscaler').find(
      (h) => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec.scaleTargetRef.name === consumer,
    );
    if (!hpa) problems.push(`${consumer}: no HorizontalPodAutoscaler scales it`);
    else if (!hpa.apiVersion.startsWith('autoscaling/v2'))
      problems.push(`${consumer}: HPA is ${hpa.apiVersion}`);
    else if ((hpa.spec?.maxReplicas ?? 0) > partitions)
      problems.push(
        `${consumer}: HPA maxReplicas ${hpa.spec?.maxReplicas} exceeds KAFKA_TOPIC_PARTITIONS ${partitions}: the extra replicas would sit idle`,
      );
    else if (overlay === 'production' && (hpa.spec?.minReplicas ?? 1) < 3)
      problems.push(`${consumer}: HPA minReplicas ${hpa.spec?.minReplicas ?? 1} in production, expected 3`);
  }

  if (overlay === 'production') {
    for (const secret of secrets)
      problems.push(
        `Secret/${secret.metadata.name}: shipped by the production overlay; production secrets come from outside`,
      );
    if (config['PROFILE'] !== 'production')
      problems.push(`PROFILE is ${config['PROFILE'] ?? 'unset'} in production`);
    if (config['KAFKA_TOPIC_REPLICATION_FACTOR'] !== '3')
      problems.push(
        `KAFKA_TOPIC_REPLICATION_FACTOR is ${config['KAFKA_TOPIC_REPLICATION_FACTOR'] ?? 'unset'} in production, expected 3`,
      );
    if (config['CASSANDRA_REPLICATION_FACTOR'] !== '3')
      problems.push(
        `CASSANDRA_REPLICATION_FACTOR is ${config['CASSANDRA_REPLICATION_FACTOR'] ?? 'unset'} in production, expected 3`,
      );
  }
  return problems;
}

/** Every overlay of a manifests tree, built, validated and checked. Returns the problems, per overlay. */
function checkTree(tools: Tools, tree: string, quiet = false): { problems: string[]; summary: string[] } {
  const problems: string[] = [];
  const summary: string[] = [];
  const overlays = readdirSync(join(tree, 'overlays')).sort();
  const work = mkdtempSync(join(tmpdir(), 'k8s-check-'));
  try {
    const built: Array<[string, string, Resource[]]> = [];
    for (const overlay of overlays) {
      if (!quiet) say(`kustomize build overlays/${overlay}`);
      const { yaml, error } = build(tools, join(tree, 'overlays', overlay));
      if (yaml === undefined) {
        problems.push(`${overlay}: ${error}`);
        continue;
      }
      const file = join(work, `${overlay}.yaml`);
      writeFileSync(file, yaml);
      const documents = parseAllDocuments(yaml);
      const resources = (Array.isArray(documents) ? documents : [documents])
        .map((d) => d.toJS() as Resource)
        .filter((r) => r !== null);
      built.push([overlay, file, resources]);
    }
    if (built.length > 0) {
      if (!quiet)
        say(
          `kubernetes-validate --strict against Kubernetes ${kubernetesVersion}: ${built.map(([o]) => o).join(', ')}`,
        );
      problems.push(
        ...validate(
          tools,
          built.map(([, file]) => file),
        ).map((line) => line.replace(`${work}/`, '')),
      );
    }
    for (const [overlay, , resources] of built) {
      if (!quiet) say(`checking our rules on overlays/${overlay} (${resources.length} resources)`);
      problems.push(...promisesBroken(overlay, resources).map((p) => `${overlay}: ${p}`));
      const kinds = new Map<string, number>();
      for (const r of resources) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
      summary.push(`${overlay}: ${[...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ')}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { problems, summary };
}

/** Each broken copy must be refused, or the check proves nothing; the unbroken copy must pass. */
function selfTest(tools: Tools): boolean {
  const production = 'overlays/production/kustomization.yaml';
  const breakages: Array<[string, string, (text: string) => string]> = [
    [
      'a misspelt field',
      'base/order.yaml',
      (t) => t.replace('automountServiceAccountToken:', 'automountServiceAcountToken:'),
    ],
    [
      'a value of the wrong type',
      'base/payment.yaml',
      (t) => t.replace('failureThreshold: 5', 'failureThreshold: many'),
    ],
    [
      'a resource kustomize cannot find',
      'base/kustomization.yaml',
      (t) => t.replace('  - hpa.yaml\n', '  - hpas.yaml\n'),
    ],
    [
      'a Deployment without a liveness probe',
      'base/payment.yaml',
      (t) => t.replace(/ {10}livenessProbe:\n(?: {12}.*\n)+/, ''),
    ],
    [
      'the gateway probed on its public port',
      'base/gateway.yaml',
      (t) => t.replace('httpGet: { path: /readyz, port: ops }', 'httpGet: { path: /readyz, port: http }'),
    ],
    [
      'a container running as root',
      'base/inventory.yaml',
      (t) =>
        t.replace('runAsNonRoot: true', 'runAsNonRoot: false').replace('runAsUser: 1000', 'runAsUser: 0'),
    ],
    [
      'a writable root filesystem',
      'base/auth.yaml',
      (t) => t.replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false'),
    ],
    [
      'a container without limits',
      'overlays/dev/kustomization.yaml',
      (t) => t.replace(/ {10}limits: \{ cpu: 500m, memory: 320Mi \}\n/, ''),
    ],
    [
      'a consumer without an HPA',
      'base/hpa.yaml',
      (t) => t.replace(/---\n[^-]*name: notification\n[\s\S]*$/, ''),
    ],
    ['an HPA beyond the partition count', production, (t) => t.replace('value: 12', 'value: 24')],
    [
      'a Deployment without a PodDisruptionBudget',
      'base/auth.yaml',
      (t) => t.replace(/---\napiVersion: policy\/v1[\s\S]*$/, ''),
    ],
    [
      "a grace period other than compose's",
      'base/notification.yaml',
      (t) => t.replace('terminationGracePeriodSeconds: 20', 'terminationGracePeriodSeconds: 5'),
    ],
    ['two replicas in production', production, (t) => t.replace('replicas: 3', 'replicas: 2')],
    [
      'one copy of each Kafka partition in production',
      production,
      (t) => t.replace('KAFKA_TOPIC_REPLICATION_FACTOR=3', 'KAFKA_TOPIC_REPLICATION_FACTOR=1'),
    ],
    [
      'no zone spread in production',
      production,
      (t) => t.replace('topologyKey: topology.kubernetes.io/zone', 'topologyKey: kubernetes.io/os'),
    ],
    [
      'the placeholder Secret shipped to production',
      production,
      (t) => t.replace(/ {2}- patch: \|-\n {6}\$patch: delete\n(?: {6}.*\n)+/, ''),
    ],
    [
      'a secret reference to a missing key',
      'base/order.yaml',
      (t) => t.replace('key: REDIS_URL }', 'key: REDIS_ULR }'),
    ],
  ];
  const dir = mkdtempSync(join(tmpdir(), 'k8s-check-self-test-'));
  const tree = join(dir, 'k8s');
  let ok = true;
  try {
    cpSync(manifestsDir, tree, { recursive: true });
    const control = checkTree(tools, tree, true).problems;
    if (control.length > 0) {
      console.log(
        `FAIL  the unbroken copy is refused, so no refusal below would mean anything: ${control[0]}`,
      );
      return false;
    }
    console.log('ok    the unbroken copy passes');
    for (const [what, file, breakIt] of breakages) {
      const path = join(tree, file);
      const original = readFileSync(path, 'utf8');
      const broken = breakIt(original);
      if (broken === original) {
        console.log(`FAIL  ${what}: the mutation no longer applies to ${file}; update the self-test`);
        ok = false;
        continue;
      }
      writeFileSync(path, broken);
      try {
        const { problems } = checkTree(tools, tree, true);
        if (problems.length === 0) {
          console.log(`FAIL  ${what}: accepted`);
          ok = false;
        } else {
          console.log(`ok    ${what}: refused (${(problems[0]?.split('\n')[0] ?? '').slice(0, 200)})`);
        }
      } finally {
        writeFileSync(path, original);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return ok;
}

function main(): number {
  const tools: Tools = { kustomize: kustomize(), validator: validator() };
  if (process.argv.includes('--self-test')) {
    const ok = selfTest(tools);
    say(ok ? 'self-test passed: every broken copy was refused' : 'self-test FAILED');
    return ok ? 0 : 1;
  }
  const { problems, summary } = checkTree(tools, manifestsDir);
  if (problems.length > 0) {
    console.error(`${relative(process.cwd(), manifestsDir)}: ${problems.length} problem(s)`);
    for (const problem of problems) console.error(`  - ${problem}`);
    return 1;
  }
  for (const line of summary) say(line);
  say(
    `${relative(process.cwd(), manifestsDir)}: every overlay builds, validates strictly against Kubernetes ${kubernetesVersion} and keeps the rules`,
  );
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`k8s-check: ${(error as Error).message}`);
  process.exitCode = 1;
}
