import { withLeadershipRetries } from './leadership-retries';

const notLeader = () =>
  Object.assign(new Error('This server is not the leader for that topic-partition'), { retriable: true });

describe('withLeadershipRetries', () => {
  it('when the first reads fail with a retriable error, then it reads again until one succeeds', async () => {
    let calls = 0;
    const read = async () => {
      calls += 1;
      if (calls < 3) throw notLeader();
      return 'ends';
    };
    await expect(withLeadershipRetries(read, 5, 1)).resolves.toBe('ends');
    expect(calls).toBe(3);
  });

  it('when an error is not retriable, then it fails at once', async () => {
    let calls = 0;
    const read = async () => {
      calls += 1;
      throw new Error('unknown topic');
    };
    await expect(withLeadershipRetries(read, 5, 1)).rejects.toThrow('unknown topic');
    expect(calls).toBe(1);
  });

  it('when every attempt fails, then the last error comes out', async () => {
    await expect(
      withLeadershipRetries(
        async () => {
          throw notLeader();
        },
        3,
        1,
      ),
    ).rejects.toThrow('not the leader');
  });
});
