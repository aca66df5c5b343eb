import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

const cli = resolve(import.meta.dirname, '../src/cli.ts');

/** Runs the tool as `npm run invariants` does, with its exit code and output. */
export function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--disable-warning=TimeoutNegativeWarning', cli, ...args],
      { env: { ...process.env, NODE_OPTIONS: '' }, timeout: 90_000 },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}
