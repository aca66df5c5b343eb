/**
 * Installs schemathesis, the contract fuzzer the security suite runs against the gateway's
 * OpenAPI document: a Python virtualenv under .infra/tools/schemathesis (git-ignored) with the
 * exact versions of requirements.txt, from PyPI. Does nothing when that set is there already.
 *
 * Usage: npm run fuzz:install   (PYTHON names another interpreter than python3)
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const requirements = join(import.meta.dirname, 'requirements.txt');
export const venv = join(root, '.infra/tools/schemathesis');
export const schemathesisBin = join(venv, 'bin/schemathesis');
const marker = join(venv, 'installed-requirements.sha256');

function run(command: string, args: string[]): boolean {
  process.stdout.write(`schemathesis: ${command} ${args.join(' ')}\n`);
  return spawnSync(command, args, { stdio: 'inherit' }).status === 0;
}

const wanted = createHash('sha256').update(readFileSync(requirements)).digest('hex');
if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted && existsSync(schemathesisBin)) {
  const version = spawnSync(schemathesisBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
  process.stdout.write(`schemathesis: ${version} (installed)\n`);
} else {
  process.stdout.write(
    'schemathesis: installing the pinned set from PyPI into a virtualenv (about a minute)\n',
  );
  rmSync(venv, { recursive: true, force: true });
  const python = process.env['PYTHON'] || 'python3';
  const ok =
    run(python, ['-m', 'venv', venv]) &&
    run(join(venv, 'bin/python'), [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '-r',
      requirements,
    ]);
  if (!ok || !existsSync(schemathesisBin)) {
    process.stderr.write('schemathesis: installation failed (needs python3 with venv, and PyPI)\n');
    process.exit(1);
  }
  writeFileSync(marker, wanted);
  process.stdout.write(
    `schemathesis: ${spawnSync(schemathesisBin, ['--version'], { encoding: 'utf8' }).stdout.trim()}\n`,
  );
}
