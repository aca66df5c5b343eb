import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { RefreshTokenFamily, RefreshTokenRecord, SpendOutcome } from '../domain/refresh-token-family';
import type { RefreshTokensRepository } from './refresh-tokens.repository.port';

const duplicateKey = 11000;

/** The token's hash is the _id: lookups and the unique constraint come with the primary key. */
interface RefreshTokenDocument {
  _id: string;
  familyId: string;
  userId: string;
  issuedAt: Date;
  expiresAt: Date;
  spentAt: Date | null;
}

/** One per spent token; its unique _id (the token's hash) is what makes spending atomic. */
interface SpendDocument {
  _id: string;
  spentAt: Date;
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
  private readonly spends: Collection<SpendDocument>;

  constructor(db: Db, collectionPrefix = 'refresh_token') {
    this.tokens = db.collection<RefreshTokenDocument>(`${collectionPrefix}s`);
    this.families = db.collection<FamilyDocument>(`${collectionPrefix}_families`);
    this.spends = db.collection<SpendDocument>(`${collectionPrefix}_spends`);
  }

  async ensureIndexes(): Promise<void> {
    // Every lookup is by _id (the hash, the family id), so no secondary index is needed. Expired
    // documents are not removed by a TTL index: FerretDB has none (a sweep job is left to do).
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
    return toRecord(await this.tokens.findOne({ _id: hash }));
  }

  async spend(hash: string, at: Date): Promise<SpendOutcome> {
    const token = await this.findByHash(hash);
    if (!token) return { kind: 'unknown' };
    // The atomic step is an insert keyed by the hash: the primary key admits exactly one, on MongoDB
    // and on FerretDB alike. A conditional findOneAndUpdate is not enough: FerretDB (SQLite) lets two
    // concurrent calls both match `spentAt: null` (proven by the contract suite).
    try {
      await this.spends.insertOne({ _id: hash, spentAt: at });
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === duplicateKey)) throw error;
      const spend = await this.spends.findOne({ _id: hash });
      return { kind: 'already-spent', token: { ...token, spentAt: spend?.spentAt ?? token.spentAt ?? at } };
    }
    // Recorded on the token too, for whoever reads the collection; the spend document is the truth.
    await this.tokens.updateOne({ _id: hash }, { $set: { spentAt: at } });
    return { kind: 'spent-now', token };
  }
}

function toRecord(document: RefreshTokenDocument | null): RefreshTokenRecord | undefined {
  if (!document) return undefined;
  const { _id, familyId, userId, issuedAt, expiresAt, spentAt } = document;
  return { hash: _id, familyId, userId, issuedAt, expiresAt, spentAt: spentAt ?? null };
}
