/**
 * A Python tool at the exact versions of a requirements.txt, in a virtualenv of its own under
 * .infra/tools (git-ignored): installed from PyPI when missing, reinstalled when the file changes
 * (a marker keeps the hash of the set it holds). Used by the contract fuzzer's and the Kubernetes
 * check's installers. Runs on Node 24 with type stripping: erasable TypeScript only.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PinnedVenv {
  /** The virtualenv's directory. */
  venv: string;
  requirements: string;
  /** The executable the set provides, e.g. `bin/schemathesis` in the venv. */
  binary: string;
  /** Where progress lines go. */
  say: (line: string) => void;
}

/** Whether the venv holds the set of `requirements` now. */
export function pinnedVenvReady({ venv, requirements, binary }: PinnedVenv): boolean {
  const marker = join(venv, 'installed-requirements.sha256');
  return existsSync(marker) && readFileSync(marker, 'utf8') === hashOf(requirements) && existsSync(binary);
}

/** Installs the set when the venv does not hold it; throws when that fails. Returns `binary`. */
export function ensurePinnedVenv(tool: PinnedVenv): string {
  const { venv, requirements, binary, say } = tool;
  if (pinnedVenvReady(tool)) return binary;
  say(`installing the pinned set of ${requirements} from PyPI into ${venv} (first run only)`);
  const started = Date.now();
  rmSync(venv, { recursive: true, force: true });
  const python = process.env['PYTHON'] || 'python3';
  const run = (command: string, args: string[]) => {
    say(`${command} ${args.join(' ')}`);
    return spawnSync(command, args, { stdio: 'inherit' }).status === 0;
  };
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
  if (!ok || !existsSync(binary))
    throw new Error(`installing ${requirements} failed (needs ${python} with venv, and PyPI)`);
  writeFileSync(join(venv, 'installed-requirements.sha256'), hashOf(requirements));
  say(`installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return binary;
}

function hashOf(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
