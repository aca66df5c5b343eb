import type { RefreshTokenFamily, RefreshTokenRecord, SpendOutcome } from '../domain/refresh-token-family';

export const REFRESH_TOKENS_REPOSITORY = Symbol('RefreshTokensRepository');

/** Refresh tokens (by hash) and their families; the MongoDB and in-memory adapters pass one contract suite. */
export interface RefreshTokensRepository {
  ensureIndexes(): Promise<void>;
  startFamily(family: RefreshTokenFamily): Promise<void>;
  findFamily(familyId: string): Promise<RefreshTokenFamily | undefined>;
  /** Marks the family revoked (idempotent: the first revocation time is kept). */
  revokeFamily(familyId: string, at: Date): Promise<void>;
  insert(token: RefreshTokenRecord): Promise<void>;
  findByHash(hash: string): Promise<RefreshTokenRecord | undefined>;
  /**
   * Atomically marks the token spent if it is not yet: of any number of concurrent calls for one
   * token, exactly one gets `spent-now`; the others get `already-spent`.
   */
  spend(hash: string, at: Date): Promise<SpendOutcome>;
}
