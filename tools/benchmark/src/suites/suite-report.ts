import type { Table } from '../format.ts';

/** What a suite hands back: the printed section, and its figures for --json. */
export interface SuiteReport {
  suite: string;
  title: string;
  table: Table;
  notes: string[];
  figures: Record<string, unknown>;
}

/** A suite that could not run (an app not built yet, say): printed with its reason, no figures. */
export function skippedReport(suite: string, title: string, reason: string): SuiteReport {
  const shown = reason.length > 160 ? `${reason.slice(0, 157)}...` : reason;
  return {
    suite,
    title,
    table: { headers: ['skipped'], rows: [[shown]] },
    notes: [],
    figures: { skipped: reason },
  };
}
