import { spawn } from 'node:child_process';
import { OutputTail } from './log-tail.ts';
import type { Progress } from './recipe.ts';
import { formatSeconds } from './table.ts';

// Long installs (Maven, Go builds) print nothing for minutes; a line this often shows they are alive.
const HEARTBEAT_MS = 15_000;
const FAILURE_TAIL_LINES = 40;

/** Progress lines prefixed with the server name and the seconds since its work began. */
export function createProgress(serverName: string, startedAt = performance.now()): Progress {
  const say = (message: string) =>
    console.log(`[${serverName}] +${formatSeconds(performance.now() - startedAt)} ${message}`);
  return {
    step: say,
    run: (command, args, options) => runQuietly(say, command, args, options),
  };
}

function runQuietly(
  say: (message: string) => void,
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  const commandLine = [command, ...args].join(' ');
  const began = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: string[] = [];
    const tail = new OutputTail(FAILURE_TAIL_LINES);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout.push(chunk);
      tail.push(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => tail.push(chunk));
    const heartbeat = setInterval(
      () => say(`still running (${formatSeconds(performance.now() - began)}): ${shorten(commandLine)}`),
      HEARTBEAT_MS,
    );
    child.once('error', (error) => {
      clearInterval(heartbeat);
      reject(new Error(`${shorten(commandLine)} could not start: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearInterval(heartbeat);
      if (code === 0) return resolve(stdout.join(''));
      const outcome = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      reject(
        new Error(
          `${shorten(commandLine)} ${outcome} after ${formatSeconds(performance.now() - began)}; last output:\n${tail}`,
        ),
      );
    });
  });
}

function shorten(commandLine: string): string {
  return commandLine.length > 160 ? `${commandLine.slice(0, 157)}...` : commandLine;
}
