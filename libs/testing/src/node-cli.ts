import { execFile } from 'node:child_process';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a tool's `cli.ts` as its npm script does (Node with type stripping, without the test's
 * NODE_OPTIONS), killed after `timeoutMs`; resolves with its exit code (-1 when killed) and output.
 */
export function runNodeCli(cli: string, args: string[], timeoutMs = 60_000): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--disable-warning=TimeoutNegativeWarning', cli, ...args],
      { env: { ...process.env, NODE_OPTIONS: '' }, timeout: timeoutMs },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}
