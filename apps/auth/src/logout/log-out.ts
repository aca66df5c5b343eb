import { hashOfRefreshToken } from '../refresh-tokens/opaque-refresh-token';
import type { RefreshTokensRepository } from '../refresh-tokens/refresh-tokens.repository.port';

/** Revokes the family of the presented refresh token; an unknown token is not an error (logout is idempotent). */
export class LogOut {
  constructor(
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async execute(refreshToken: string): Promise<void> {
    const token = await this.refreshTokens.findByHash(hashOfRefreshToken(refreshToken));
    if (token) await this.refreshTokens.revokeFamily(token.familyId, this.clock());
  }
}
