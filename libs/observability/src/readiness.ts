export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

/** One dependency an app needs in order to serve: `check` resolves when it answers and throws when it does not. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
  /**
   * A failure the process does not recover from by itself (a consumer its client stopped for good):
   * `/healthz` fails with it too, so that the orchestrator restarts the process. Such a check reads
   * the process's own state, never a dependency: liveness must not fail because a server is down.
   */
  failsLiveness?: boolean;
}
