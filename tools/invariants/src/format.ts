import type { InvariantReport, InvariantResult } from './report.ts';
import { formatTable } from './sibling-tools.ts';

/**
 * The report as an operator reads it: one line per invariant (ok, N violations with the offending
 * ids, or why it could not be checked), then the violations with their details, at most `cap` per
 * invariant, then the notes.
 */
export function formatReport(report: InvariantReport, cap = 10): string {
  const width = Math.max(...report.results.map((result) => result.invariant.length));
  const lines = report.results.map(
    (result) => `${result.invariant.padEnd(width)}  ${summaryOf(result, cap)}`,
  );
  const violated = report.results.filter((result) => result.violations.length > 0);
  const sections = [lines.join('\n')];
  if (violated.length > 0)
    sections.push(
      formatTable(
        ['INVARIANT', 'ID', 'VIOLATION'],
        violated.flatMap((result) => [
          ...result.violations
            .slice(0, cap)
            .map((violation) => [result.invariant, violation.id, oneLine(violation.detail)]),
          ...(result.violations.length > cap
            ? [[result.invariant, '…', `${result.violations.length - cap} more (--json lists every one)`]]
            : []),
        ]),
      ),
    );
  if (report.notes.length > 0)
    sections.push(['notes:', ...report.notes.map((note) => `  ${note}`)].join('\n'));
  return sections.join('\n\n');
}

function summaryOf(result: InvariantResult, cap: number): string {
  switch (result.status) {
    case 'ok':
      return `ok (${result.scope ?? ''})`;
    case 'unchecked':
      return `unchecked: ${oneLine(result.error ?? '')}`;
    case 'violated': {
      const ids = [...new Set(result.violations.map((violation) => violation.id))];
      const shown = ids.slice(0, cap).join(', ');
      const more = ids.length > cap ? ` and ${ids.length - cap} more` : '';
      const n = result.violations.length;
      return `${n} violation${n === 1 ? '' : 's'}: ${shown}${more}`;
    }
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}
