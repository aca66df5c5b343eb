/**
 * The load process: started by the benchmark with an IPC channel, it runs one LoadSpec with
 * autocannon and sends the result back, so the load generator has an event loop (and, when
 * pinned, a CPU) of its own.
 */
import type { FromLoadProcess, ToLoadProcess } from './load-spec.ts';
import { runLoad } from './run-load.ts';

const send = (message: FromLoadProcess) =>
  new Promise<void>((resolve) => {
    if (!process.send) throw new Error('the load process must be started with an IPC channel');
    process.send(message, () => resolve());
  });

process.once('message', (message: ToLoadProcess) => {
  runLoad(message.spec)
    .then((result) => send({ type: 'result', result }))
    .catch((error: unknown) =>
      send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
    )
    .finally(() => process.disconnect());
});

await send({ type: 'ready' });
