import { normalizeEmail } from '../domain/email';
import { EmailTakenError } from '../domain/errors';
import type { RegisterUser } from '../register/register-user';
import type { UsersRepository } from '../users/users.repository.port';

/**
 * Creates the admin account from ADMIN_EMAIL / ADMIN_PASSWORD at start-up. Idempotent: if the email
 * exists (a previous start, or another instance starting at the same time), nothing changes; in
 * particular a password changed since is not reset to the configured one.
 */
export async function seedAdmin(
  users: UsersRepository,
  registerUser: RegisterUser,
  admin: { email: string; password: string },
): Promise<void> {
  if (await users.findByEmail(normalizeEmail(admin.email))) return;
  try {
    await registerUser.execute({
      email: admin.email,
      password: admin.password,
      name: 'Administrator',
      roles: ['admin'],
    });
  } catch (error) {
    if (!(error instanceof EmailTakenError)) throw error;
  }
}
