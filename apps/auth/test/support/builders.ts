import { randomBytes, randomUUID } from 'node:crypto';
import { UserRegistered } from '@platform/contracts';
import { newOutboxEvent, type StoredOutboxEvent } from '@platform/messaging';
import type { RefreshTokenFamily, RefreshTokenRecord } from '../../src/domain/refresh-token-family';
import { type User, userRegisteredOf } from '../../src/domain/user';

export function aRegistration(overrides: Partial<{ email: string; password: string; name: string }> = {}) {
  return {
    email: `user-${randomUUID()}@example.com`,
    password: 'correct horse battery staple',
    name: 'Ada Lovelace',
    ...overrides,
  };
}

export function aUser(
  overrides: Partial<{ id: string; email: string; name: string; passwordHash: string }> = {},
): User {
  return {
    id: overrides.id ?? randomUUID(),
    email: overrides.email ?? `user-${randomUUID()}@example.com`,
    name: overrides.name ?? 'Ada Lovelace',
    roles: ['customer'],
    passwordHash: overrides.passwordHash ?? '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g',
    createdAt: new Date('2026-01-02T03:04:05.000Z'),
  };
}

/** The `UserRegistered` event registration writes with the user, as RegisterUser builds it. */
export function aUserRegistered(user: User): StoredOutboxEvent {
  return newOutboxEvent(UserRegistered.name, userRegisteredOf(user), {
    now: user.createdAt,
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  });
}

export function aFamily(overrides: Partial<RefreshTokenFamily> = {}): RefreshTokenFamily {
  return {
    id: randomUUID(),
    userId: randomUUID(),
    createdAt: new Date('2026-01-02T03:04:05.000Z'),
    revokedAt: null,
    ...overrides,
  };
}

export function aRefreshToken(overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    hash: randomBytes(32).toString('base64url'),
    familyId: randomUUID(),
    userId: randomUUID(),
    issuedAt: new Date('2026-01-02T03:04:05.000Z'),
    expiresAt: new Date('2026-01-16T03:04:05.000Z'),
    spentAt: null,
    ...overrides,
  };
}

/** A client address of its own per test, so login throttling in one test never blocks another. */
export function anAddress(): string {
  const bytes = randomBytes(3);
  return `10.${bytes[0]}.${bytes[1]}.${bytes[2]}`;
}
