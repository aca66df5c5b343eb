export type Role = 'customer' | 'admin';

export interface User {
  id: string;
  /** Normalized (see normalizeEmail); unique. */
  email: string;
  name: string;
  roles: Role[];
  /** argon2id PHC string; never the password. */
  passwordHash: string;
  createdAt: Date;
}

/** The data of the `UserRegistered` event that announces a new user (users-events.ts of the contracts). */
export function userRegisteredOf(user: User): { userId: string; email: string; name: string } {
  return { userId: user.id, email: user.email, name: user.name };
}

/** What a user may see of their own account. */
export function publicProfileOf(user: User): { id: string; email: string; name: string; roles: Role[] } {
  return { id: user.id, email: user.email, name: user.name, roles: user.roles };
}
