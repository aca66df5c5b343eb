import { existsSync } from 'node:fs';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InfraPaths, Progress } from './recipe.ts';

const INSTALLED_MARKER = '.installed';

/** Where a Maven-installed server's jars live: the classpath is `<lib>/*`. */
export function mavenLibDir(paths: InfraPaths): string {
  return join(paths.installDir, 'lib');
}

export function isMavenInstallComplete(paths: InfraPaths): boolean {
  return existsSync(join(paths.installDir, INSTALLED_MARKER));
}

/**
 * Resolves a server and its runtime dependencies from Maven Central into `<installDir>/lib`, with
 * the checked-in pom of `infra/local/<server>/pom.xml` (its version comes in as `-D<property>`).
 * The user's ~/.m2 is the download cache.
 */
export async function installFromMaven(
  paths: InfraPaths,
  progress: Progress,
  artifact: { coordinates: string; versionProperty: string; version: string },
): Promise<void> {
  progress.step(`resolving ${artifact.coordinates}:${artifact.version} from Maven Central`);
  await rm(mavenLibDir(paths), { recursive: true, force: true });
  await mkdir(paths.installDir, { recursive: true });
  const pom = join(paths.installDir, 'pom.xml');
  await copyFile(join(paths.configDir, 'pom.xml'), pom);
  await progress.run('mvn', [
    '-q',
    '-B',
    '-f',
    pom,
    'dependency:copy-dependencies',
    `-D${artifact.versionProperty}=${artifact.version}`,
    `-DoutputDirectory=${mavenLibDir(paths)}`,
    '-DincludeScope=runtime',
  ]);
  // Written last, so an interrupted install is redone rather than half-used.
  await writeFile(join(paths.installDir, INSTALLED_MARKER), `${artifact.version}\n`);
}
