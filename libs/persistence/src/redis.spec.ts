import type Redis from 'ioredis';
import { redisReadiness } from './redis';

const clientIn = (status: string, ping: () => Promise<string> = async () => 'PONG') =>
  ({ status, ping }) as unknown as Redis;

describe('redisReadiness', () => {
  it('when the client is ready and Redis answers PONG, then the check passes', async () => {
    await expect(redisReadiness(clientIn('ready')).check()).resolves.toBeUndefined();
  });

  it.each(['connecting', 'reconnecting', 'end'])(
    'when the client is %s, then the check fails naming that state without sending anything',
    async (status) => {
      const ping = jest.fn(async () => 'PONG');
      await expect(redisReadiness(clientIn(status, ping)).check()).rejects.toThrow(
        `not connected (${status})`,
      );
      expect(ping).not.toHaveBeenCalled();
    },
  );
});
