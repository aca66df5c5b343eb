import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';

/** A started app on an ephemeral loopback port, and its base URL for a real HTTP client. */
export interface RunningApp {
  app: INestApplication;
  baseUrl: string;
  close(): Promise<void>;
}

export async function listenOnEphemeralPort(app: INestApplication): Promise<RunningApp> {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}
