import { InvalidRefreshTokenError } from '../domain/errors';
import type { SpendOutcome } from '../domain/refresh-token-family';
import { InMemoryRefreshTokensRepository } from '../refresh-tokens/in-memory-refresh-tokens.repository';
import { hashOfRefreshToken } from '../refresh-tokens/opaque-refresh-token';
import type { TokenPair, TokenPairIssuer } from '../tokens/token-pair-issuer';
import type { UsersRepository } from '../users/users.repository.port';
import { RotateRefreshToken } from './rotate-refresh-token';

const now = new Date('2026-01-10T00:00:00.000Z');
const user = { id: 'user-1', roles: ['customer' as const] };
const pair: TokenPair = { accessToken: 'a', refreshToken: 'r', tokenType: 'Bearer', expiresIn: 900 };

/** Lets a test run other requests at the moment one request's spend has just completed. */
class InterleavingRefreshTokens extends InMemoryRefreshTokensRepository {
  afterNextSpend: (() => Promise<void>) | undefined;

  override async spend(hash: string, at: Date): Promise<SpendOutcome> {
    const outcome = await super.spend(hash, at);
    const hook = this.afterNextSpend;
    this.afterNextSpend = undefined;
    await hook?.();
    return outcome;
  }
}

describe('RotateRefreshToken', () => {
  let refreshTokens: InterleavingRefreshTokens;
  let rotate: RotateRefreshToken;

  beforeEach(async () => {
    refreshTokens = new InterleavingRefreshTokens();
    const users = { findById: async () => ({ ...user }) } as unknown as UsersRepository;
    const tokenPairs = { issue: async () => pair } as unknown as TokenPairIssuer;
    rotate = new RotateRefreshToken(refreshTokens, users, tokenPairs, () => now);
    await refreshTokens.startFamily({ id: 'family-1', userId: user.id, createdAt: now, revokedAt: null });
    await refreshTokens.insert({
      hash: hashOfRefreshToken('presented'),
      familyId: 'family-1',
      userId: user.id,
      issuedAt: now,
      expiresAt: new Date(now.getTime() + 60_000),
      spentAt: null,
    });
  });

  it('when a racing replay revokes the family right after the winner spent the token, then the winner still gets its pair', async () => {
    let loser: Promise<unknown> | undefined;
    refreshTokens.afterNextSpend = async () => {
      loser = rotate.execute('presented').catch((error: unknown) => error);
      await loser;
    };

    await expect(rotate.execute('presented')).resolves.toEqual(pair);
    await expect(loser).resolves.toBeInstanceOf(InvalidRefreshTokenError);
    expect((await refreshTokens.findFamily('family-1'))?.revokedAt).toEqual(now);
  });

  it('when the family was revoked before the token is presented, then it is refused', async () => {
    await refreshTokens.revokeFamily('family-1', now);
    await expect(rotate.execute('presented')).rejects.toBeInstanceOf(InvalidRefreshTokenError);
  });

  it('when the token is unknown, then it is refused and nothing is revoked', async () => {
    await expect(rotate.execute('never issued')).rejects.toBeInstanceOf(InvalidRefreshTokenError);
    expect((await refreshTokens.findFamily('family-1'))?.revokedAt).toBeNull();
  });
});
