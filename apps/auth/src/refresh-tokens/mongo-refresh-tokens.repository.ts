import type { Collection, Db } from 'mongodb';
import type { RefreshTokenFamily, RefreshTokenRecord, SpendOutcome } from '../domain/refresh-token-family';
import type { RefreshTokensRepository } from './refresh-tokens.repository.port';

/** The token's hash is the _id: lookups and the unique constraint come with the primary key. */
interface RefreshTokenDocument {
  _id: string;
  familyId: string;
  userId: string;
  issuedAt: Date;
  expiresAt: Date;
  spentAt: Date | null;
}

interface FamilyDocument {
  _id: string;
  userId: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export class MongoRefreshTokensRepository implements RefreshTokensRepository {
  private readonly tokens: Collection<RefreshTokenDocument>;
  private readonly families: Collection<FamilyDocument>;

  constructor(db: Db, collectionPrefix = 'refresh_token') {
    this.tokens = db.collection<RefreshTokenDocument>(`${collectionPrefix}s`);
    this.families = db.collection<FamilyDocument>(`${collectionPrefix}_families`);
  }

  async ensureIndexes(): Promise<void> {
    // Every lookup is by _id (the hash, the family id). Expired tokens stay: MongoDB would drop them
    // with a TTL index on expiresAt, which the MongoDB-wire server used locally refuses to create.
  }

  async startFamily(family: RefreshTokenFamily): Promise<void> {
    const { id, ...rest } = family;
    await this.families.insertOne({ _id: id, ...rest });
  }

  async findFamily(familyId: string): Promise<RefreshTokenFamily | undefined> {
    const document = await this.families.findOne({ _id: familyId });
    if (!document) return undefined;
    const { _id, userId, createdAt, revokedAt } = document;
    return { id: _id, userId, createdAt, revokedAt: revokedAt ?? null };
  }

  async revokeFamily(familyId: string, at: Date): Promise<void> {
    await this.families.updateOne({ _id: familyId, revokedAt: null }, { $set: { revokedAt: at } });
  }

  async insert(token: RefreshTokenRecord): Promise<void> {
    const { hash, ...rest } = token;
    await this.tokens.insertOne({ _id: hash, ...rest });
  }

  async findByHash(hash: string): Promise<RefreshTokenRecord | undefined> {
    const document = await this.tokens.findOne({ _id: hash });
    return document ? recordOf(document) : undefined;
  }

  async spend(hash: string, at: Date): Promise<SpendOutcome> {
    // One conditional update: of concurrent callers, only the first finds `spentAt: null`.
    const unspent = await this.tokens.findOneAndUpdate(
      { _id: hash, spentAt: null },
      { $set: { spentAt: at } },
      { returnDocument: 'before' },
    );
    if (unspent) return { kind: 'spent-now', token: recordOf(unspent) };
    const token = await this.findByHash(hash);
    return token ? { kind: 'already-spent', token } : { kind: 'unknown' };
  }
}

function recordOf(document: RefreshTokenDocument): RefreshTokenRecord {
  const { _id, familyId, userId, issuedAt, expiresAt, spentAt } = document;
  return { hash: _id, familyId, userId, issuedAt, expiresAt, spentAt: spentAt ?? null };
}
