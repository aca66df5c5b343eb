import type { RefreshTokensRepository } from '../../src/refresh-tokens/refresh-tokens.repository.port';
import { aFamily, aRefreshToken } from '../support/builders';
import type { ContractSubject } from './users-repository.contract';

/** What every RefreshTokensRepository adapter must do; run against the in-memory adapter and against MongoDB. */
export function describeRefreshTokensRepositoryContract(
  name: string,
  factory: () => Promise<ContractSubject<RefreshTokensRepository>>,
): void {
  describe(`RefreshTokensRepository contract: ${name}`, () => {
    let subject: ContractSubject<RefreshTokensRepository>;
    let tokens: RefreshTokensRepository;
    const at = new Date('2026-01-03T00:00:00.000Z');
    beforeAll(async () => {
      subject = await factory();
      tokens = subject.repository;
      await tokens.ensureIndexes();
    });
    afterAll(() => subject.cleanup());

    it('when a token is inserted, then it is found by its hash, unspent', async () => {
      const token = aRefreshToken();
      await tokens.insert(token);
      expect(await tokens.findByHash(token.hash)).toEqual(token);
      expect(await tokens.findByHash('unknown-hash')).toBeUndefined();
    });

    it('when an unspent token is spent, then the caller gets it as it was, and it is stored spent', async () => {
      const token = aRefreshToken();
      await tokens.insert(token);
      expect(await tokens.spend(token.hash, at)).toEqual({ kind: 'spent-now', token });
      expect(await tokens.findByHash(token.hash)).toEqual({ ...token, spentAt: at });
    });

    it('when a spent token is spent again, then the answer is already-spent with the stored token', async () => {
      const token = aRefreshToken();
      await tokens.insert(token);
      await tokens.spend(token.hash, at);
      expect(await tokens.spend(token.hash, new Date(at.getTime() + 1000))).toEqual({
        kind: 'already-spent',
        token: { ...token, spentAt: at },
      });
    });

    it('when an unknown token is spent, then the answer is unknown', async () => {
      expect(await tokens.spend('no-such-hash', at)).toEqual({ kind: 'unknown' });
    });

    it('when one token is spent by 40 concurrent callers, then exactly one gets spent-now', async () => {
      const token = aRefreshToken();
      await tokens.insert(token);
      const outcomes = await Promise.all(Array.from({ length: 40 }, () => tokens.spend(token.hash, at)));
      expect(outcomes.filter((outcome) => outcome.kind === 'spent-now')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome.kind === 'already-spent')).toHaveLength(39);
    });

    it('when a family is started, then it is found, not revoked', async () => {
      const family = aFamily();
      await tokens.startFamily(family);
      expect(await tokens.findFamily(family.id)).toEqual(family);
      expect(await tokens.findFamily('no-such-family')).toBeUndefined();
    });

    it('when a family is revoked twice, then the first revocation time is kept', async () => {
      const family = aFamily();
      await tokens.startFamily(family);
      await tokens.revokeFamily(family.id, at);
      await tokens.revokeFamily(family.id, new Date(at.getTime() + 5000));
      expect(await tokens.findFamily(family.id)).toEqual({ ...family, revokedAt: at });
    });

    it('when an unknown family is revoked, then nothing happens', async () => {
      await expect(tokens.revokeFamily('no-such-family', at)).resolves.toBeUndefined();
      expect(await tokens.findFamily('no-such-family')).toBeUndefined();
    });
  });
}
