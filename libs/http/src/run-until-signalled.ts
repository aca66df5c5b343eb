import type { INestApplication } from '@nestjs/common';

export interface RunUntilSignalledOptions {
  /**
   * How long closing may take before the process exits anyway (code 1): below Kubernetes'
   * `terminationGracePeriodSeconds` (20 s in infra/k8s), so a stuck close ends in our own exit
   * with a line saying so, not in a SIGKILL nobody explains.
   */
  shutdownTimeoutMs?: number;
}

/** The default of `shutdownTimeoutMs`. */
export const defaultShutdownTimeoutMs = 15_000;

/**
 * Closes every app (in-flight requests finish, modules run their shutdown hooks) on the first
 * SIGINT or SIGTERM, then runs `afterClose` and exits. One handler for the process, so the
 * embedded profile closes all its apps together instead of each racing to exit. Closing is bounded
 * by `shutdownTimeoutMs`.
 */
export function runUntilSignalled(
  apps: INestApplication[],
  afterClose: () => Promise<void> = () => Promise.resolve(),
  { shutdownTimeoutMs = defaultShutdownTimeoutMs }: RunUntilSignalledOptions = {},
): void {
  let closing = false;
  const close = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    process.stderr.write(`${signal}: closing ${apps.length} app(s)\n`);
    setTimeout(() => {
      process.stderr.write(`closing did not finish within ${shutdownTimeoutMs} ms: exiting\n`);
      process.exit(1);
    }, shutdownTimeoutMs);
    const results = await Promise.allSettled(apps.map((app) => app.close()));
    await afterClose().catch(() => undefined);
    process.exit(results.some((result) => result.status === 'rejected') ? 1 : 0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
}
