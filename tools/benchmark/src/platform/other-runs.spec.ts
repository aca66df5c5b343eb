import { commandConsumerOf, describeOthers } from './other-runs.ts';

const cmdline = (...argv: string[]) => `${argv.join('\0')}\0`;

describe('commandConsumerOf', () => {
  it.each(['inventory', 'payment', 'order'])('when a process runs the built %s, then it is found', (app) => {
    expect(commandConsumerOf(cmdline('/usr/bin/node', `/work/main/dist/apps/${app}/src/main.js`))).toBe(app);
  });

  it('when it runs under taskset with a relative path, then it is found too', () => {
    expect(commandConsumerOf(cmdline('taskset', '-c', '0', 'node', 'dist/apps/order/src/main.js'))).toBe(
      'order',
    );
  });

  it.each([
    cmdline('node', '/work/main/dist/apps/gateway/src/main.js'),
    cmdline('node', '/work/main/dist/apps/payment-provider-sim/src/main.js'),
    cmdline('node', '/work/main/dist/apps/inventory/src/main.js.map'),
    cmdline('vim', 'apps/inventory/src/main.ts'),
    '',
  ])('when the command line is %j, then it does not consume commands', (line) => {
    expect(commandConsumerOf(line)).toBeUndefined();
  });
});

describe('commandConsumerOf, for test runs', () => {
  const jest = (...args: string[]) => cmdline('node', '/work/main/node_modules/.bin/jest', ...args);

  it('when an integration run of a command-consuming project is up, then it is found', () => {
    expect(
      commandConsumerOf(
        jest('-c', 'apps/order/jest.config.cjs', '--testPathPatterns', '\\.int\\.spec\\.ts$', '--runInBand'),
      ),
    ).toBe('order integration tests');
  });

  it('when the end-to-end suites run, then they are found', () => {
    expect(commandConsumerOf(jest('-c', 'apps/platform-e2e/jest.config.cjs', '--runInBand'))).toBe(
      'platform-e2e tests',
    );
  });

  it.each([
    jest('-c', 'apps/payment/jest.config.cjs', '--testPathIgnorePatterns', '\\.int\\.spec\\.ts$'),
    jest('-c', 'apps/gateway/jest.config.cjs', '--testPathPatterns', '\\.int\\.spec\\.ts$'),
    cmdline('/bin/sh', '-c', 'jest -c apps/order/jest.config.cjs --testPathPatterns x'),
  ])(
    'when the run is %j (unit tests, no Kafka consumer, or the shell around jest), then it is not',
    (line) => {
      expect(commandConsumerOf(line)).toBeUndefined();
    },
  );
});

describe('describeOthers', () => {
  it('when there are other processes, then each is named with its pid', () => {
    expect(
      describeOthers([
        { pid: 7, app: 'inventory' },
        { pid: 9, app: 'order' },
      ]),
    ).toBe('inventory (pid 7), order (pid 9)');
  });
});
