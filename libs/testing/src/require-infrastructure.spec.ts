import { eventually, requireInfrastructure } from './require-infrastructure';

describe('requireInfrastructure', () => {
  it('when the probe answers, then it resolves', async () => {
    await expect(requireInfrastructure('redis', async () => 'PONG')).resolves.toBeUndefined();
  });

  it('when the probe fails, then it throws naming the server and the command that starts it', async () => {
    const probe = async () => {
      throw new Error('ECONNREFUSED');
    };
    await expect(requireInfrastructure('redis', probe)).rejects.toThrow(
      /redis is not reachable \(ECONNREFUSED\)[\s\S]*npm run infra:up/,
    );
  });

  it('when the probe hangs, then it throws after the timeout', async () => {
    await expect(requireInfrastructure('kafka', () => new Promise(() => undefined), 50)).rejects.toThrow(
      /kafka is not reachable \(no answer in 50 ms\)/,
    );
  });
});

describe('eventually', () => {
  it('when the condition becomes true, then it returns its value', async () => {
    let calls = 0;
    await expect(eventually(async () => (++calls >= 3 ? 'done' : undefined), 2000, 5)).resolves.toBe('done');
    expect(calls).toBe(3);
  });

  it('when the condition never holds, then it fails with the last error', async () => {
    const condition = async () => {
      throw new Error('still 404');
    };
    await expect(eventually(condition, 50, 5)).rejects.toThrow(
      /condition not met within 50 ms: Error: still 404/,
    );
  });
});
