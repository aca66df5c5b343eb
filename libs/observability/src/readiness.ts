export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

/** One dependency an app needs in order to serve: `check` resolves when it answers and throws when it does not. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}
