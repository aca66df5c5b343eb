export type Role = 'customer' | 'admin';

/** An integration event waiting in the user's own document until a relay publishes it. */
export interface OutboxEvent {
  id: string;
  type: 'UserRegistered';
  occurredAt: Date;
  data: { userId: string; email: string; name: string };
  /** W3C trace context of the request that caused the event, so its consumers join the trace. */
  traceparent: string | null;
  state: 'pending' | 'published';
  attempts: number;
}

export interface User {
  id: string;
  /** Normalized (see normalizeEmail); unique. */
  email: string;
  name: string;
  roles: Role[];
  /** argon2id PHC string; never the password. */
  passwordHash: string;
  createdAt: Date;
  outbox: OutboxEvent[];
}

export interface NewUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  passwordHash: string;
  now: Date;
  eventId: string;
  traceparent: string | null;
}

/** A registered user with its `UserRegistered` event, to be written in one single-document insert. */
export function registerUser(input: NewUser): User {
  return {
    id: input.id,
    email: input.email,
    name: input.name,
    roles: input.roles,
    passwordHash: input.passwordHash,
    createdAt: input.now,
    outbox: [
      {
        id: input.eventId,
        type: 'UserRegistered',
        occurredAt: input.now,
        data: { userId: input.id, email: input.email, name: input.name },
        traceparent: input.traceparent,
        state: 'pending',
        attempts: 0,
      },
    ],
  };
}

/** What a user may see of their own account. */
export function publicProfileOf(user: User): { id: string; email: string; name: string; roles: Role[] } {
  return { id: user.id, email: user.email, name: user.name, roles: user.roles };
}
