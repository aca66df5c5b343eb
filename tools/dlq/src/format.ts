import { ceHeaders, deadLetterHeaders, positionOf, type TopicRecord } from './wire.ts';

/** A plain left-aligned text table. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function formatTopicCounts(counts: { topic: string; messages: number }[]): string {
  if (counts.length === 0) return 'no dead-letter topics (*.dlq)';
  return formatTable(
    ['TOPIC', 'MESSAGES'],
    counts.map(({ topic, messages }) => [topic, String(messages)]),
  );
}

/** One line per parked message; `replayed` holds the positions (`partition:offset`) already replayed. */
export function formatMessages(topic: string, records: TopicRecord[], replayed: ReadonlySet<string>): string {
  if (records.length === 0) return `${topic}: no messages`;
  const rows = records.map((record) => {
    const header = (name: string) => record.headers[name] ?? '-';
    return [
      positionOf(record),
      new Date(record.timestamp).toISOString(),
      header(ceHeaders.type),
      header(ceHeaders.id),
      header(deadLetterHeaders.attempts),
      replayed.has(positionOf(record)) ? 'yes' : 'no',
      oneLine(header(deadLetterHeaders.reason), 80),
    ];
  });
  return formatTable(['OFFSET', 'PARKED AT', 'CE_TYPE', 'CE_ID', 'ATTEMPTS', 'REPLAYED', 'REASON'], rows);
}

/** Every header, then the value: pretty JSON when it parses, else as text. */
export function formatRecord(record: TopicRecord): string {
  const headers = Object.entries(record.headers).sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(0, ...headers.map(([name]) => name.length));
  return [
    `${record.topic} ${positionOf(record)}  parked at ${new Date(record.timestamp).toISOString()}`,
    `key: ${record.key ?? '(none)'}`,
    '',
    'headers:',
    ...headers.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`),
    '',
    'value:',
    valueText(record.value),
  ].join('\n');
}

function valueText(value: Buffer | null): string {
  if (value === null) return '(none)';
  const text = value.toString('utf8');
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return `${text}\n(not JSON)`;
  }
}

function oneLine(text: string, maxLength: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= maxLength ? flat : `${flat.slice(0, maxLength - 1)}…`;
}
