/** Text formatting of the printed figures: every function here is pure. */

export interface Table {
  headers: string[];
  rows: string[][];
}

/** Columns padded to their widest cell; the first column left-aligned, the others right-aligned (numbers). */
export function formatTable({ headers, rows }: Table): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    widths
      .map((width, column) => {
        const cell = cells[column] ?? '';
        return column === 0 ? cell.padEnd(width) : cell.padStart(width);
      })
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

const missing = '–';

/** A rate or count, whole, with thin grouping: 12 345. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return missing;
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** Milliseconds with precision that suits their size: 0.412, 4.12, 41.2, 412. */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return missing;
  const magnitude = Math.abs(value);
  return value.toFixed(magnitude < 1 ? 3 : magnitude < 10 ? 2 : magnitude < 100 ? 1 : 0);
}

/** A difference in ms, with its sign: +0.79, -0.12. */
export function formatAddedMs(value: number): string {
  if (!Number.isFinite(value)) return missing;
  return `${value >= 0 ? '+' : '-'}${formatMs(Math.abs(value))}`;
}

/** variant ÷ baseline, to two decimals: 0.36×. */
export function formatRatio(variant: number, baseline: number): string {
  const ratio = variant / baseline;
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : missing;
}

/** A CPU cost per request, in µs. */
export function formatMicros(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value)} µs` : missing;
}

/** A heading, its table and its notes, as printed. */
export function formatSection(title: string, table: Table, notes: readonly string[]): string {
  return [title, '='.repeat(title.length), formatTable(table), ...notes.map((note) => `  * ${note}`)].join(
    '\n',
  );
}
