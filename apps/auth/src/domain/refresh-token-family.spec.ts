import { decideRefresh, type RefreshTokenFamily, type RefreshTokenRecord } from './refresh-token-family';

const now = new Date('2026-01-10T00:00:00.000Z');
const aToken = (overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord => ({
  hash: 'h',
  familyId: 'family-1',
  userId: 'user-1',
  issuedAt: new Date('2026-01-09T00:00:00.000Z'),
  expiresAt: new Date('2026-01-20T00:00:00.000Z'),
  spentAt: null,
  ...overrides,
});
const aFamily = (overrides: Partial<RefreshTokenFamily> = {}): RefreshTokenFamily => ({
  id: 'family-1',
  userId: 'user-1',
  createdAt: new Date('2026-01-09T00:00:00.000Z'),
  revokedAt: null,
  ...overrides,
});

describe('refresh-token family rules', () => {
  it('when a live token of a live family is spent now, then a successor is issued in the same family', () => {
    expect(decideRefresh({ kind: 'spent-now', token: aToken() }, aFamily(), now)).toEqual({
      kind: 'rotate',
      familyId: 'family-1',
      userId: 'user-1',
    });
  });

  it('when the token was already spent, then it is reuse: rejected and the family revoked', () => {
    const spent = aToken({ spentAt: new Date('2026-01-09T12:00:00.000Z') });
    expect(decideRefresh({ kind: 'already-spent', token: spent }, aFamily(), now)).toEqual({
      kind: 'reject-and-revoke-family',
      reason: 'reused',
      familyId: 'family-1',
    });
  });

  it('when an already spent token has also expired, then it is still reuse and the family is revoked', () => {
    const spentAndExpired = aToken({
      spentAt: new Date('2026-01-02T00:00:00.000Z'),
      expiresAt: new Date('2026-01-05T00:00:00.000Z'),
    });
    expect(decideRefresh({ kind: 'already-spent', token: spentAndExpired }, aFamily(), now).kind).toBe(
      'reject-and-revoke-family',
    );
  });

  it('when the token is unknown, then it is rejected without revoking anything', () => {
    expect(decideRefresh({ kind: 'unknown' }, undefined, now)).toEqual({ kind: 'reject', reason: 'unknown' });
  });

  it('when the family is revoked (logout or earlier reuse), then the token is rejected', () => {
    expect(
      decideRefresh(
        { kind: 'spent-now', token: aToken() },
        aFamily({ revokedAt: new Date('2026-01-09T18:00:00.000Z') }),
        now,
      ),
    ).toEqual({
      kind: 'reject',
      reason: 'revoked',
    });
  });

  it('when the family is missing, then the token is rejected', () => {
    expect(decideRefresh({ kind: 'spent-now', token: aToken() }, undefined, now)).toEqual({
      kind: 'reject',
      reason: 'revoked',
    });
  });

  it('when the token expires exactly now, then it is rejected as expired', () => {
    expect(decideRefresh({ kind: 'spent-now', token: aToken({ expiresAt: now }) }, aFamily(), now)).toEqual({
      kind: 'reject',
      reason: 'expired',
    });
  });
});
