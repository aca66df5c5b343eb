import type { RefreshTokenFamily, RefreshTokenRecord, SpendOutcome } from '../domain/refresh-token-family';
import type { RefreshTokensRepository } from './refresh-tokens.repository.port';

/**
 * The embedded profile's refresh tokens. Each method runs to completion without awaiting anything,
 * so `spend` is as atomic here as the conditional update is in MongoDB.
 */
export class InMemoryRefreshTokensRepository implements RefreshTokensRepository {
  private readonly tokens = new Map<string, RefreshTokenRecord>();
  private readonly families = new Map<string, RefreshTokenFamily>();

  async ensureIndexes(): Promise<void> {
    // Maps keyed by hash and family id need no index.
  }

  async startFamily(family: RefreshTokenFamily): Promise<void> {
    if (this.families.has(family.id)) throw new Error(`refresh token family ${family.id} exists`);
    this.families.set(family.id, { ...family });
  }

  async findFamily(familyId: string): Promise<RefreshTokenFamily | undefined> {
    const family = this.families.get(familyId);
    return family && { ...family };
  }

  async revokeFamily(familyId: string, at: Date): Promise<void> {
    const family = this.families.get(familyId);
    if (family && family.revokedAt === null) family.revokedAt = at;
  }

  async insert(token: RefreshTokenRecord): Promise<void> {
    if (this.tokens.has(token.hash)) throw new Error('refresh token hash exists');
    this.tokens.set(token.hash, { ...token });
  }

  async findByHash(hash: string): Promise<RefreshTokenRecord | undefined> {
    const token = this.tokens.get(hash);
    return token && { ...token };
  }

  async spend(hash: string, at: Date): Promise<SpendOutcome> {
    const token = this.tokens.get(hash);
    if (!token) return { kind: 'unknown' };
    if (token.spentAt !== null) return { kind: 'already-spent', token: { ...token } };
    const before = { ...token };
    token.spentAt = at;
    return { kind: 'spent-now', token: before };
  }
}
