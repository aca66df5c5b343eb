import { resolve } from 'node:path';
import type { LoadFigures } from './steady-load';

// Imports no @platform library: jest loads it for the suite's global setup and teardown too,
// where the libraries' path aliases do not resolve.

/** Where each scenario leaves its figures; the suite's teardown writes reports/resilience.md from them. */
export const figuresDir = resolve(__dirname, '../../../tmp/resilience');

/** One scenario's line of the report. */
export interface ScenarioFigures {
  scenario: string;
  /** When it started (ms since the epoch): the report lists scenarios in the order they ran. */
  startedAt: number;
  seed: number;
  load: LoadFigures;
  confirmed: number;
  cancelled: Record<string, number>;
  violations: string[];
  /** From the fault's end to the first order placed after it that was CONFIRMED. */
  recoverySeconds: number;
  faultSeconds: number;
}
