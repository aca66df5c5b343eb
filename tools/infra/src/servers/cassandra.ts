import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installFromMaven, isMavenInstallComplete, mavenLibDir } from '../maven.ts';
import { portFromEnv } from '../recipe.ts';
import type { InfraPaths, LaunchSpec, ServerRecipe } from '../recipe.ts';

// 5.0 is the first line that runs on Java 17 (4.1 needs Java 8 or 11).
const VERSION = '5.0.9';
const SETPRIV = '/usr/bin/setpriv';

// Cassandra's conf/jvm17-server.options (the JDK internals it reaches into on Java 17), plus the
// JMX-security export and java.nio open that embedders add; an unneeded one costs nothing.
const JPMS_FLAGS = [
  ...[
    'java.base/jdk.internal.misc',
    'java.management.rmi/com.sun.jmx.remote.internal.rmi',
    'java.rmi/sun.rmi.registry',
    'java.rmi/sun.rmi.server',
    'java.sql/java.sql',
    'java.base/java.lang.ref',
    'jdk.unsupported/sun.misc',
    'jdk.compiler/com.sun.tools.javac.file',
    'jdk.attach/sun.tools.attach',
    'java.management/com.sun.jmx.remote.security',
  ].map((target) => `--add-exports=${target}=ALL-UNNAMED`),
  ...[
    'java.base/java.lang.module',
    'java.base/jdk.internal.loader',
    'java.base/jdk.internal.ref',
    'java.base/jdk.internal.reflect',
    'java.base/jdk.internal.math',
    'java.base/jdk.internal.module',
    'java.base/jdk.internal.util.jar',
    'jdk.management/com.sun.management.internal',
    'java.base/sun.nio.ch',
    'java.base/java.io',
    'java.base/java.lang.reflect',
    'jdk.compiler/com.sun.tools.javac',
    'java.base/java.lang',
    'java.base/java.util',
    'java.base/java.nio',
  ].map((target) => `--add-opens=${target}=ALL-UNNAMED`),
];

function configFile(paths: InfraPaths): string {
  return join(paths.runDir, 'cassandra.yaml');
}

function logbackConfig(paths: InfraPaths): string {
  return join(paths.runDir, 'logback.xml');
}

function javaCommand(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

function cassandraPorts(): { cql: number; storage: number; jmx: number } {
  return {
    cql: portFromEnv('CASSANDRA_PORT', 9042),
    storage: portFromEnv('CASSANDRA_STORAGE_PORT', 7000),
    jmx: portFromEnv('CASSANDRA_JMX_PORT', 7199),
  };
}

/** jamm measures object sizes for memtable accounting; Cassandra refuses to start without the agent. */
function findJammJar(paths: InfraPaths): string {
  const jar = readdirSync(mavenLibDir(paths)).find((name) => /^jamm-.*\.jar$/.test(name));
  if (!jar) throw new Error(`no jamm-*.jar in ${mavenLibDir(paths)}: reinstall cassandra`);
  return join(mavenLibDir(paths), jar);
}

function memoryFlags(): string[] {
  return [
    // Start small and grow to 1 GiB: RSS at rest stays near what is really used.
    '-Xms128m',
    '-Xmx1g',
    '-Xss256k',
    // Chunk cache and networking buffers are direct memory; the yaml caps them well below this.
    '-XX:MaxDirectMemorySize=256m',
    '-XX:MaxMetaspaceSize=256m',
    '-XX:ReservedCodeCacheSize=128m',
    '-XX:+UseG1GC',
    '-XX:+ParallelRefProcEnabled',
    '-XX:MaxTenuringThreshold=1',
    '-XX:MaxGCPauseMillis=300',
    // Idle dev servers give heap back instead of keeping their start-up peak.
    '-XX:G1PeriodicGCInterval=60000',
    '-XX:+CrashOnOutOfMemoryError',
    '-XX:+PerfDisableSharedMem',
  ];
}

function systemProperties(paths: InfraPaths): string[] {
  const { jmx } = cassandraPorts();
  return [
    // A URL, not a path: Cassandra's YamlConfigurationLoader parses it with new URL().
    `-Dcassandra.config=${pathToFileURL(configFile(paths)).href}`,
    '-Dcassandra-foreground=yes',
    `-Dcassandra.storagedir=${paths.dataDir}`,
    `-Dcassandra.logdir=${paths.logDir}`,
    `-Dcassandra.triggers_dir=${join(paths.runDir, 'triggers')}`,
    `-Dlogback.configurationFile=${logbackConfig(paths)}`,
    `-Dcassandra.jmx.local.port=${jmx}`,
    // The RMI server shares the registry's port instead of binding a random one (so nodetool -p works alone).
    `-Dcom.sun.management.jmxremote.rmi.port=${jmx}`,
    '-Djava.net.preferIPv4Stack=true',
    '-Djdk.attach.allowAttachSelf=true',
    '-Dio.netty.tryReflectionSetAccessible=true',
    // A lone seed has nobody to gossip with: skip the settle wait and the saved ring.
    '-Dcassandra.skip_wait_for_gossip_to_settle=0',
    '-Dcassandra.load_ring_state=false',
    '-Dcassandra.initial_token=0',
  ];
}

async function writeConfig(paths: InfraPaths): Promise<void> {
  const { cql, storage } = cassandraPorts();
  const template = await readFile(join(paths.configDir, 'cassandra.yaml'), 'utf8');
  const config = template
    .replaceAll('{{CQL_PORT}}', String(cql))
    .replaceAll('{{STORAGE_PORT}}', String(storage))
    .replaceAll('{{DATA_DIR}}', paths.dataDir);
  await writeFile(configFile(paths), config);
  await copyFile(join(paths.configDir, 'logback.xml'), logbackConfig(paths));
}

/**
 * Cassandra always calls mlockall(MCL_CURRENT). Under an ordinary user the small default RLIMIT_MEMLOCK makes
 * that fail harmlessly; as root (containers, CI) it succeeds and pins every mapping resident,
 * including the JDK's whole 125 MiB `lib/modules`. Dropping CAP_IPC_LOCK gives root the ordinary
 * behaviour; setpriv exec()s, so the pid stays Java's.
 */
function withoutMemoryLocking(spec: LaunchSpec): LaunchSpec {
  if (process.getuid?.() !== 0 || !existsSync(SETPRIV)) return spec;
  return {
    ...spec,
    command: SETPRIV,
    args: ['--inh-caps=-ipc_lock', '--bounding-set=-ipc_lock', '--', spec.command, ...spec.args],
  };
}

/** A CQL query answered, not just an open port: the native transport starts after schema setup. */
async function answersCql(port: number): Promise<boolean> {
  const { Client } = (await import('cassandra-driver')).default;
  const client = new Client({
    contactPoints: [`127.0.0.1:${port}`],
    localDataCenter: 'datacenter1',
    socketOptions: { connectTimeout: 1000, readTimeout: 2000 },
    // One connection, no schema download: the caller polls again soon.
    pooling: { warmup: false },
    isMetadataSyncEnabled: false,
  });
  try {
    await client.connect();
    const result = await client.execute('SELECT release_version FROM system.local');
    return result.rows.length === 1;
  } catch {
    return false;
  } finally {
    await client.shutdown().catch(() => undefined);
  }
}

export const cassandra: ServerRecipe = {
  name: 'cassandra',
  version: VERSION,

  ports() {
    return cassandraPorts();
  },

  async isInstalled(paths) {
    return isMavenInstallComplete(paths);
  },

  async install(paths, progress) {
    await installFromMaven(paths, progress, {
      coordinates: 'org.apache.cassandra:cassandra-all',
      versionProperty: 'cassandra.version',
      version: VERSION,
    });
  },

  async prepare(paths) {
    await mkdir(paths.runDir, { recursive: true });
    await mkdir(paths.dataDir, { recursive: true });
    await mkdir(paths.logDir, { recursive: true });
    await mkdir(join(paths.runDir, 'triggers'), { recursive: true });
    await writeConfig(paths);
  },

  launch(paths) {
    return withoutMemoryLocking({
      command: javaCommand(),
      args: [
        `-javaagent:${findJammJar(paths)}`,
        ...memoryFlags(),
        ...JPMS_FLAGS,
        ...systemProperties(paths),
        '-cp',
        // Java expands the trailing '*' itself; no shell is involved.
        `${mavenLibDir(paths)}/*`,
        'org.apache.cassandra.service.CassandraDaemon',
      ],
      cwd: paths.runDir,
    });
  },

  async isReady() {
    return answersCql(cassandraPorts().cql);
  },

  readyTimeoutMs: 120_000,
};
