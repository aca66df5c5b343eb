/**
 * Installs schemathesis, the contract fuzzer the security suite runs against the gateway's
 * OpenAPI document: a Python virtualenv under .infra/tools/schemathesis (git-ignored) with the
 * exact versions of requirements.txt, from PyPI. Does nothing when that set is there already.
 *
 * Usage: npm run fuzz:install   (PYTHON names another interpreter than python3)
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ensurePinnedVenv, pinnedVenvReady } from '../infra/src/pinned-venv.ts';

const root = resolve(import.meta.dirname, '../..');
const requirements = join(import.meta.dirname, 'requirements.txt');
export const venv = join(root, '.infra/tools/schemathesis');
export const schemathesisBin = join(venv, 'bin/schemathesis');
const say = (line: string) => process.stdout.write(`schemathesis: ${line}\n`);
const versionOf = () => spawnSync(schemathesisBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
const tool = { venv, requirements, binary: schemathesisBin, say };

if (pinnedVenvReady(tool)) {
  say(`${versionOf()} (installed)`);
} else {
  try {
    ensurePinnedVenv(tool);
  } catch (error) {
    process.stderr.write(`schemathesis: ${(error as Error).message}\n`);
    process.exit(1);
  }
  say(versionOf());
}
