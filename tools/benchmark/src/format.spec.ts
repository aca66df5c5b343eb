import {
  formatAddedMs,
  formatCount,
  formatMicros,
  formatMs,
  formatRatio,
  formatSection,
  formatTable,
} from './format.ts';

describe('formatTable', () => {
  it('when given rows, then the first column is left-aligned and the numbers right-aligned', () => {
    const text = formatTable({
      headers: ['target', 'req/s'],
      rows: [
        ['direct', '4 210'],
        ['via gateway', '980'],
      ],
    });
    expect(text.split('\n')).toEqual([
      'target       req/s',
      '-----------  -----',
      'direct       4 210',
      'via gateway    980',
    ]);
  });

  it('when a row is short, then the missing cells are blank', () => {
    expect(formatTable({ headers: ['a', 'b'], rows: [['x']] }).split('\n')[2]).toBe('x');
  });
});

describe('number formats', () => {
  it('when counting, then thousands are grouped and fractions rounded', () => {
    expect(formatCount(1234567.6)).toBe('1 234 568');
    expect(formatCount(980)).toBe('980');
    expect(formatCount(Number.NaN)).toBe('–');
  });

  it('when printing ms, then the decimals follow the magnitude', () => {
    expect([0.41234, 4.1234, 41.234, 412.34].map(formatMs)).toEqual(['0.412', '4.12', '41.2', '412']);
  });

  it('when printing an added latency, then the sign is always shown', () => {
    expect(formatAddedMs(0.79)).toBe('+0.790');
    expect(formatAddedMs(-1.5)).toBe('-1.50');
    expect(formatAddedMs(Number.POSITIVE_INFINITY)).toBe('–');
  });

  it('when dividing, then the ratio has two decimals, and there is none for a zero baseline', () => {
    expect(formatRatio(1510, 4210)).toBe('0.36×');
    expect(formatRatio(10, 0)).toBe('–');
  });

  it('when printing CPU per request, then it is whole µs', () => {
    expect(formatMicros(231.6)).toBe('232 µs');
    expect(formatMicros(Number.NaN)).toBe('–');
  });
});

describe('formatSection', () => {
  it('when given a title, a table and notes, then they print underlined, tabled and bulleted', () => {
    expect(formatSection('gateway', { headers: ['a'], rows: [['1']] }, ['note one']).split('\n')).toEqual([
      'gateway',
      '=======',
      'a',
      '-',
      '1',
      '  * note one',
    ]);
  });
});
