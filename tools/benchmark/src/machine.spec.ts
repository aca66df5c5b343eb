import { busyMachineWarning, formatMachine, type Machine } from './machine.ts';

const machine: Machine = {
  cpuModel: 'Intel(R) Xeon(R) Processor',
  cores: 2,
  node: 'v24.21.0',
  kernel: '6.1.0',
  memoryGiB: 24,
  loadAverageBefore: 0.4,
};

describe('formatMachine', () => {
  it('when printed, then CPU model, cores, Node version and the load averages are there', () => {
    expect(formatMachine(machine, 1.234)).toBe(
      'machine: Intel(R) Xeon(R) Processor, 2 cores, 24 GiB, Linux 6.1.0, Node v24.21.0; load average 0.40 before, 1.23 after',
    );
  });
});

describe('busyMachineWarning', () => {
  it('when the load was under half the cores as the run began, then there is no warning', () => {
    expect(busyMachineWarning(machine)).toBeUndefined();
  });

  it('when the load was over half the cores as the run began, then the warning gives it', () => {
    expect(busyMachineWarning({ ...machine, loadAverageBefore: 3 })).toMatch(/load average 3\.0 on 2 cores/);
  });
});
