import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { runUntilSignalled } from '@platform/http';
import { OperationsPort, runAsService } from '@platform/observability';
import { stopTracing } from '@platform/observability/tracing';
import { loadPlatformApp, platformAppNames } from './platform-apps';

/** Starts every app in this process, one port each, and closes them all together on Ctrl-C. */
export async function runPlatform(env: NodeJS.ProcessEnv): Promise<void> {
  const started: INestApplication[] = [];
  runUntilSignalled(started, stopTracing);
  for (const name of platformAppNames) {
    const service = loadPlatformApp(name);
    const config = service.loadConfig(environmentOf(name, env));
    // As its service: its requests, consumers and timers log and trace under its own name.
    const app = await runAsService(name, async () => {
      const created = await service.createApp(config);
      await created.listen(config.PORT, config.HOST);
      return created;
    });
    started.push(app);
    const { port } = app.getHttpServer().address() as AddressInfo;
    const operations = app.get(OperationsPort).url();
    process.stdout.write(
      `embedded: ${name.padEnd(22)} http://${config.HOST}:${port}${operations ? `  (operations: ${operations})` : ''}\n`,
    );
  }
  process.stdout.write('embedded: the platform is up; the public API is the gateway. Ctrl-C stops it.\n');
}

/**
 * All apps share this process's environment, so a shared PORT would collide: each app gets its
 * own `<APP>_PORT` (GATEWAY_PORT, ...) as PORT and `<APP>_OPS_PORT` as OPS_PORT (only the
 * gateway has one), or its own defaults when those are unset.
 */
function environmentOf(name: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const prefix = name.toUpperCase().replaceAll('-', '_');
  return { ...env, PORT: env[`${prefix}_PORT`], OPS_PORT: env[`${prefix}_OPS_PORT`] };
}
