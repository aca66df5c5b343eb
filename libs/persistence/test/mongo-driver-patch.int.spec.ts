import { createRequire } from 'node:module';
import type { MongoClient } from 'mongodb';
import { requireInfrastructure } from '@platform/testing';
import { createMongoClient } from '../src';

const mongoUrl = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';

/** The driver's own namespace helper: its Connection.command takes a namespace object. */
const { ns } = createRequire(require.resolve('mongodb'))('./utils') as { ns(name: string): unknown };

/** The parts of the driver's internals this regression test reaches into. */
interface MonitorConnection {
  closed: boolean;
  socket: { destroy(): void; destroyed: boolean };
  command(namespace: unknown, command: object, options: object): Promise<unknown>;
}

function monitorConnectionOf(client: MongoClient): MonitorConnection | undefined {
  const topology = (client as unknown as { topology: { s: { servers: Map<string, unknown> } } }).topology;
  const [server] = topology.s.servers.values();
  return (server as { monitor?: { connection?: MonitorConnection } }).monitor?.connection;
}

/**
 * patches/mongodb+7.9.0.patch. When a server shuts down it closes every connection at once; a
 * socket is destroyed at once but emits 'close' later in the same turn. A command written in
 * between waited for 'drain' forever, with no timeout: the server monitor stopped for good and
 * the client never reconnected (found by the fault suite, inventory after a MongoDB restart).
 */
describe('the MongoDB driver, patched', () => {
  it('when a command is written on a connection whose socket is destroyed before its close is seen, then it fails at once instead of waiting forever', async () => {
    const client = createMongoClient(mongoUrl, 'persistence-test');
    try {
      await requireInfrastructure(`MongoDB at ${mongoUrl}`, () => client.connect());
      const connection = monitorConnectionOf(client);
      if (!connection) throw new Error('the client has no monitor connection to test with');
      connection.socket.destroy();
      expect(connection.socket.destroyed).toBe(true);
      expect(connection.closed).toBe(false);
      // Without the patch the command never settles: the race ends with "still pending" instead.
      const settled = connection.command(ns('admin.$cmd'), { hello: 1 }, { socketTimeoutMS: 3000 }).then(
        () => 'answered',
        (error: Error) => error.message,
      );
      const stillPending = new Promise<string>((resolve) =>
        setTimeout(() => resolve('still pending'), 5000).unref(),
      );
      expect(await Promise.race([settled, stillPending])).toMatch(/closed/);
    } finally {
      // Bounded: without the patch, closing would wait for the stuck command too.
      await Promise.race([client.close(), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    }
  }, 20_000);
});
