import { cpuMicrosPerRequest, cpuTicksOfStat, reapedChildrenTicksOfStat } from './cpu-accounting.ts';

// A real line of /proc/<pid>/stat (node), utime 1520 and stime 312.
const statLine =
  '4242 (node) S 4200 4242 4200 34816 4242 4194304 51286 0 0 0 1520 312 0 0 20 0 11 0 1234567 1234567890 45678 18446744073709551615 1 1 0 0 0 0 0 16781312 134234626 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n';

describe('cpuTicksOfStat', () => {
  it('when given a stat line, then it adds utime and stime', () => {
    expect(cpuTicksOfStat(statLine)).toBe(1832);
  });

  it('when the command name holds spaces and parentheses, then the fields are still found', () => {
    expect(cpuTicksOfStat(statLine.replace('(node)', '(node main) (x)'))).toBe(1832);
  });

  it('when the text is not a stat line, then it says so', () => {
    expect(() => cpuTicksOfStat('no such process')).toThrow(/not a \/proc\/<pid>\/stat line/);
    expect(() => cpuTicksOfStat('1 (node) S 1 2')).toThrow(/no utime\/stime/);
  });
});

describe('reapedChildrenTicksOfStat', () => {
  it('when the process waited for children, then it adds their cutime and cstime', () => {
    expect(reapedChildrenTicksOfStat(statLine.replace(' 1520 312 0 0 ', ' 1520 312 40 2 '))).toBe(42);
  });

  it('when the text is not a stat line, then it says so', () => {
    expect(() => reapedChildrenTicksOfStat('1 (node) S 1 2')).toThrow(/no cutime\/cstime/);
  });
});

describe('cpuMicrosPerRequest', () => {
  it('when 250 ticks of 100 Hz went to 10 000 requests, then each cost 250 µs', () => {
    expect(cpuMicrosPerRequest(1000, 1250, 100, 10_000)).toBe(250);
  });

  it('when no request was answered, then there is no figure', () => {
    expect(cpuMicrosPerRequest(1000, 1250, 100, 0)).toBeNaN();
  });
});
