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
    const spend = await this.refreshTokens.spend(hashOfRefreshToken(refreshToken), now);
    const family =
      spend.kind === 'unknown' ? undefined : await this.refreshTokens.findFamily(spend.token.familyId);
    const decision = decideRefresh(spend, family, now);
    if (decision.kind === 'reject-and-revoke-family')
      await this.refreshTokens.revokeFamily(decision.familyId, now);
    if (decision.kind !== 'rotate') throw new InvalidRefreshTokenError();
    const user = await this.users.findById(decision.userId);
    if (!user) throw new InvalidRefreshTokenError();
    return this.tokenPairs.issue(user, decision.familyId);
  }
}
