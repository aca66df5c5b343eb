import type { INestApplication } from '@nestjs/common';

/**
 * Closes every app (in-flight requests finish, modules run their shutdown hooks) on the first
 * SIGINT or SIGTERM, then runs `afterClose` and exits. One handler for the process, so the
 * embedded profile closes all its apps together instead of each racing to exit.
 */
export function runUntilSignalled(
  apps: INestApplication[],
  afterClose: () => Promise<void> = () => Promise.resolve(),
): void {
  let closing = false;
  const close = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    process.stderr.write(`${signal}: closing ${apps.length} app(s)\n`);
    const results = await Promise.allSettled(apps.map((app) => app.close()));
    await afterClose().catch(() => undefined);
    process.exit(results.some((result) => result.status === 'rejected') ? 1 : 0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
}
