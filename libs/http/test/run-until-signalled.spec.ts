import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/** Starts the fixture process, waits for "ready", sends SIGTERM, and returns how it ended. */
async function terminate(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [join(__dirname, 'fixtures/signalled-process.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null]>;
  await new Promise<void>((resolve) =>
    child.stdout.on('data', (chunk: Buffer) => chunk.includes('ready') && resolve()),
  );
  child.kill('SIGTERM');
  const [code] = await exited;
  return { code, stderr };
}

describe('runUntilSignalled', () => {
  it('when closing finishes, then the process exits 0', async () => {
    const { code, stderr } = await terminate({ CLOSE_MS: '10', SHUTDOWN_TIMEOUT_MS: '60000' });
    expect(stderr).toContain('SIGTERM: closing 1 app(s)');
    expect(code).toBe(0);
  });

  it('when closing never finishes, then the process exits 1 at the shutdown timeout and says so', async () => {
    const { code, stderr } = await terminate({ SHUTDOWN_TIMEOUT_MS: '200' });
    expect(stderr).toContain('closing did not finish within 200 ms: exiting');
    expect(code).toBe(1);
  });
});
