import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const infraCli = resolve(__dirname, '../../../tools/infra/src/cli.ts');

/**
 * Stops or starts one of the local servers with the infra CLI (`npm run infra:down -- kafka`), as
 * an operator would; `up` returns once the server answers again. Its output goes to the test's.
 */
export function infra(command: 'up' | 'down', server: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [infraCli, command, server], { stdio: 'inherit' });
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`infra ${command} ${server} exited ${code ?? 'on a signal'}`)),
    );
  });
}
