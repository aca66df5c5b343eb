import { decideRefresh } from '../domain/refresh-token-family';
import { InvalidRefreshTokenError } from '../domain/errors';
import { hashOfRefreshToken } from '../refresh-tokens/opaque-refresh-token';
import type { RefreshTokensRepository } from '../refresh-tokens/refresh-tokens.repository.port';
import type { TokenPair, TokenPairIssuer } from '../tokens/token-pair-issuer';
import type { UsersRepository } from '../users/users.repository.port';

/**
 * Spends the presented refresh token and issues the next pair of its family. The rules, including
 * what two concurrent refreshes of one token do, are in domain/refresh-token-family.ts.
 */
export class RotateRefreshToken {
  constructor(
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly users: UsersRepository,
    private readonly tokenPairs: TokenPairIssuer,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async execute(refreshToken: string): Promise<TokenPair> {
    const now = this.clock();
    const hash = hashOfRefreshToken(refreshToken);
    // The family is read before the spend. A concurrent replay of this very token can only find it
    // spent, and so revoke the family, after our spend; reading afterwards would let that revocation
    // turn the winner away too, and a race would have no winner at all.
    const presented = await this.refreshTokens.findByHash(hash);
    const family = presented && (await this.refreshTokens.findFamily(presented.familyId));
    const spend = await this.refreshTokens.spend(hash, now);
    const decision = decideRefresh(spend, family, now);
    if (decision.kind === 'reject-and-revoke-family')
      await this.refreshTokens.revokeFamily(decision.familyId, now);
    if (decision.kind !== 'rotate') throw new InvalidRefreshTokenError();
    const user = await this.users.findById(decision.userId);
    if (!user) throw new InvalidRefreshTokenError();
    return this.tokenPairs.issue(user, decision.familyId);
  }
}
