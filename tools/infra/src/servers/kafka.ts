import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { infraPort } from '../connection-env.ts';
import { installFromMaven, isMavenInstallComplete, mavenLibDir } from '../maven.ts';
import type { InfraPaths, Progress, ServerRecipe } from '../recipe.ts';

// 4.x speaks every protocol version kafkajs 2.2.4 needs (checked with a produce/group/commit run).
const VERSION = '4.4.0';

function logDirs(paths: InfraPaths): string {
  return join(paths.dataDir, 'kraft-logs');
}

function serverProperties(paths: InfraPaths): string {
  return join(paths.runDir, 'server.properties');
}

function log4jConfig(paths: InfraPaths): string {
  return join(paths.runDir, 'log4j2.xml');
}

function javaCommand(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

function jvmArgs(paths: InfraPaths): string[] {
  return [
    // 512 MiB is plenty for a handful of test topics; start smaller so RSS at rest stays low.
    '-Xms256m',
    '-Xmx512m',
    '-XX:MaxMetaspaceSize=192m',
    '-XX:MaxDirectMemorySize=128m',
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${log4jConfig(paths)}`,
    '-cp',
    // Java expands the trailing '*' itself; no shell is involved.
    `${mavenLibDir(paths)}/*`,
  ];
}

/** A Kafka cluster id is 16 random bytes in unpadded base64url; a leading '-' would read as a CLI flag. */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function writeConfig(paths: InfraPaths): Promise<void> {
  const { kafka, proxied, controller } = kafkaPorts();
  const template = await readFile(join(paths.configDir, 'server.properties'), 'utf8');
  const config = template
    .replaceAll('{{KAFKA_PORT}}', String(kafka))
    .replaceAll('{{PROXIED_PORT}}', String(proxied))
    .replaceAll('{{VIA_TOXIPROXY_PORT}}', String(infraPort('KAFKA_VIA_TOXIPROXY_PORT')))
    .replaceAll('{{CONTROLLER_PORT}}', String(controller))
    .replaceAll('{{LOG_DIRS}}', logDirs(paths));
  await writeFile(serverProperties(paths), config);
  await copyFile(join(paths.configDir, 'log4j2.xml'), log4jConfig(paths));
}

/** Formats the KRaft metadata log once per data directory; restarts keep their topics and offsets. */
async function formatStorage(paths: InfraPaths, progress: Progress): Promise<void> {
  if (existsSync(join(logDirs(paths), 'meta.properties'))) return;
  progress.step('kafka: formatting KRaft storage');
  await mkdir(logDirs(paths), { recursive: true });
  await progress.run(javaCommand(), [
    ...jvmArgs(paths),
    'kafka.tools.StorageTool',
    'format',
    '--cluster-id',
    newClusterId(),
    '--config',
    serverProperties(paths),
    '--ignore-formatted',
  ]);
}

function kafkaPorts(): { kafka: number; proxied: number; controller: number } {
  return {
    kafka: infraPort('KAFKA_PORT'),
    proxied: infraPort('KAFKA_PROXIED_PORT'),
    controller: infraPort('KAFKA_CONTROLLER_PORT'),
  };
}

/** Asks the broker for cluster metadata over the client port; any failure means "not yet". */
async function answersMetadata(port: number): Promise<boolean> {
  const { Kafka, logLevel } = (await import('kafkajs')).default;
  const kafka = new Kafka({
    clientId: 'infra-ready-check',
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 2000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.listTopics();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export const kafka: ServerRecipe = {
  name: 'kafka',
  version: VERSION,

  ports() {
    return kafkaPorts();
  },

  async isInstalled(paths) {
    return isMavenInstallComplete(paths);
  },

  async install(paths, progress) {
    await installFromMaven(paths, progress, {
      coordinates: 'org.apache.kafka:kafka_2.13',
      versionProperty: 'kafka.version',
      version: VERSION,
    });
  },

  async prepare(paths, progress) {
    await mkdir(paths.runDir, { recursive: true });
    await mkdir(paths.dataDir, { recursive: true });
    await mkdir(paths.logDir, { recursive: true });
    await writeConfig(paths);
    await formatStorage(paths, progress);
  },

  launch(paths) {
    return {
      command: javaCommand(),
      args: [...jvmArgs(paths), 'kafka.Kafka', serverProperties(paths)],
      cwd: paths.runDir,
    };
  },

  async isReady() {
    return answersMetadata(kafkaPorts().kafka);
  },

  readyTimeoutMs: 60_000,
};
