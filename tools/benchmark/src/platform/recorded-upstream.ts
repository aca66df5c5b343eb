import { fileURLToPath } from 'node:url';
import { pinned } from './cpu-layout.ts';
import { freePort, spawnTracked } from './service-process.ts';

/** One response of a real service, as it came: replayed by the stand-in for every request. */
export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A stand-in upstream as its own process: every request answered with the recorded response. */
export interface RecordedUpstream {
  baseUrl: string;
  stop(): Promise<void>;
}

/** Headers that describe one connection or one moment, not the answer: Node sets its own. */
const notReplayed = new Set(['connection', 'keep-alive', 'date', 'transfer-encoding', 'content-length']);

/** Records what `url` answers to a GET now. */
export async function recordResponse(url: string): Promise<RecordedResponse> {
  const response = await fetch(url);
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) if (!notReplayed.has(name)) headers[name] = value;
  return { status: response.status, headers, body: await response.text() };
}

/**
 * Starts `recorded-upstream-server.ts` (on `cpus` when given) and resolves once it answers. It
 * costs next to nothing per request, so what a proxy in front of it spends is the proxy's own.
 */
export async function startRecordedUpstream(
  recorded: RecordedResponse,
  cpus: string | undefined,
): Promise<RecordedUpstream> {
  const port = await freePort();
  const server = fileURLToPath(new URL('./recorded-upstream-server.ts', import.meta.url));
  const child = spawnTracked(pinned([process.execPath, server], cpus), {
    PORT: String(port),
    RECORDED_RESPONSE: JSON.stringify(recorded),
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode() !== null)
      throw new Error(`the recorded upstream exited with ${child.exitCode()}:\n${child.output()}`);
    const answered = await fetch(baseUrl).then(
      (response) => response.arrayBuffer().then(() => true),
      () => false,
    );
    if (answered) return { baseUrl, stop: child.stop };
    if (Date.now() > deadline) {
      await child.stop();
      throw new Error(`the recorded upstream did not answer within 30 s:\n${child.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
