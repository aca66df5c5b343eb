/**
 * Refresh-token rotation with reuse detection (RFC 9700 §4.14.2). Every login starts a family; each
 * refresh spends the presented token and issues its successor in the same family. A spent token
 * presented again means two parties hold the family (a thief and the owner, we cannot tell which),
 * so the whole family is revoked and both must log in again.
 *
 * Two concurrent refreshes of the same token: spending is one atomic step of the store, so exactly
 * one wins and gets a new pair; the other finds the token spent and is treated as reuse (401, family
 * revoked), which also kills the winner's new token. A legitimate client never sends the same token
 * twice, so a race is as suspicious as a replay; failing closed costs one extra login at worst.
 */
export interface RefreshTokenRecord {
  /** SHA-256 of the opaque token, base64url; the token itself is never stored. */
  hash: string;
  familyId: string;
  userId: string;
  issuedAt: Date;
  expiresAt: Date;
  spentAt: Date | null;
}

export interface RefreshTokenFamily {
  id: string;
  userId: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** What the atomic spend found: the token was unspent and is now spent by us, or spent before, or unknown. */
export type SpendOutcome =
  | { kind: 'spent-now'; token: RefreshTokenRecord }
  | { kind: 'already-spent'; token: RefreshTokenRecord }
  | { kind: 'unknown' };

export type RefreshDecision =
  | { kind: 'rotate'; familyId: string; userId: string }
  | { kind: 'reject'; reason: 'unknown' | 'expired' | 'revoked' }
  | { kind: 'reject-and-revoke-family'; reason: 'reused'; familyId: string };

export function decideRefresh(
  spend: SpendOutcome,
  family: RefreshTokenFamily | undefined,
  now: Date,
): RefreshDecision {
  if (spend.kind === 'unknown') return { kind: 'reject', reason: 'unknown' };
  // Reuse revokes even when the token has expired meanwhile: its successors may still be alive.
  if (spend.kind === 'already-spent')
    return { kind: 'reject-and-revoke-family', reason: 'reused', familyId: spend.token.familyId };
  if (!family || family.revokedAt !== null) return { kind: 'reject', reason: 'revoked' };
  if (spend.token.expiresAt.getTime() <= now.getTime()) return { kind: 'reject', reason: 'expired' };
  return { kind: 'rotate', familyId: spend.token.familyId, userId: spend.token.userId };
}
