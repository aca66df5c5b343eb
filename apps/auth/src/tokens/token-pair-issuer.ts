import type { RefreshTokensRepository } from '../refresh-tokens/refresh-tokens.repository.port';
import { hashOfRefreshToken, newOpaqueRefreshToken } from '../refresh-tokens/opaque-refresh-token';
import type { Role } from '../domain/user';
import type { AccessTokenIssuer } from './access-token-issuer';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** An access token and the next refresh token of a family; only the refresh token's hash is stored. */
export class TokenPairIssuer {
  constructor(
    private readonly accessTokens: AccessTokenIssuer,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly refreshTtlSeconds: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async issue(user: { id: string; roles: Role[] }, familyId: string): Promise<TokenPair> {
    const now = this.clock();
    const refreshToken = newOpaqueRefreshToken();
    await this.refreshTokens.insert({
      hash: hashOfRefreshToken(refreshToken),
      familyId,
      userId: user.id,
      issuedAt: now,
      expiresAt: new Date(now.getTime() + this.refreshTtlSeconds * 1000),
      spentAt: null,
    });
    return {
      accessToken: await this.accessTokens.issue(user),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.accessTokens.ttlSeconds,
    };
  }
}
