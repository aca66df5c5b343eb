import { cpuLayoutOf, pinned } from './cpu-layout.ts';

describe('cpuLayoutOf', () => {
  it('when there are two CPUs, then the services get CPU 0 and the load generator CPU 1', () => {
    expect(cpuLayoutOf(2, true, true)).toEqual({ services: '0', load: '1' });
  });

  it('when there are eight CPUs, then the services share 0-6 and the load generator has 7', () => {
    expect(cpuLayoutOf(8, true, true)).toEqual({ services: '0-6', load: '7' });
  });

  it.each([
    [1, true, true, 'one CPU only'],
    [4, false, true, '--no-pin'],
    [4, true, false, 'taskset is not installed'],
  ])(
    'when %i CPUs, pin %s, taskset %s, then nothing is pinned because of %s',
    (cpus, pin, taskset, reason) => {
      expect(cpuLayoutOf(cpus, pin, taskset)).toEqual({ unpinnedBecause: reason });
    },
  );
});

describe('pinned', () => {
  it('when CPUs are given, then the command runs under taskset; otherwise as it is', () => {
    expect(pinned(['node', 'main.js'], '0-2')).toEqual(['taskset', '-c', '0-2', 'node', 'main.js']);
    expect(pinned(['node', 'main.js'], undefined)).toEqual(['node', 'main.js']);
  });
});
