import { randomUUID } from 'node:crypto';
import { normalizeEmail } from '../domain/email';
import { InvalidCredentialsError } from '../domain/errors';
import type { LoginThrottle } from '../login-throttle/login-throttle';
import type { PasswordHasher } from '../passwords/password-hasher';
import type { RefreshTokensRepository } from '../refresh-tokens/refresh-tokens.repository.port';
import type { TokenPair, TokenPairIssuer } from '../tokens/token-pair-issuer';
import type { UsersRepository } from '../users/users.repository.port';

/** Checks the password (throttled per account and address) and starts a new refresh-token family. */
export class LogIn {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly tokenPairs: TokenPairIssuer,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async execute(credentials: { email: string; password: string }, clientAddress: string): Promise<TokenPair> {
    const email = normalizeEmail(credentials.email);
    await this.throttle.admit(email, clientAddress);
    const user = await this.users.findByEmail(email);
    // Unknown email and wrong password take the same time and raise the same error.
    const valid = user
      ? await this.passwords.verify(user.passwordHash, credentials.password)
      : await this.passwords.verifyAgainstNothing(credentials.password);
    if (!user || !valid) throw new InvalidCredentialsError();
    await this.throttle.succeeded(email, clientAddress);
    const familyId = randomUUID();
    await this.refreshTokens.startFamily({
      id: familyId,
      userId: user.id,
      createdAt: this.clock(),
      revokedAt: null,
    });
    return this.tokenPairs.issue(user, familyId);
  }
}
