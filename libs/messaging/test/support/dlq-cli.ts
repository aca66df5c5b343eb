import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

const workspaceRoot = resolve(__dirname, '../../../..');

/** Runs `npm run dlq -- <args>` as an operator would (node on tools/dlq's source), with its exit code and output. */
export function runDlqTool(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--disable-warning=TimeoutNegativeWarning', 'tools/dlq/src/cli.ts', ...args],
      { cwd: workspaceRoot, env: { ...process.env, NODE_OPTIONS: '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}
