import { randomBytes } from 'node:crypto';
import * as argon2 from 'argon2';

/**
 * argon2id with OWASP's minimum (Password Storage Cheat Sheet): 19 MiB of memory, 2 passes, one
 * lane. Raising them only needs a deploy: `verify` reads the parameters from each stored hash.
 */
export const argon2Parameters = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

const phcBase64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  /**
   * The PHC string in the reference implementation's parameter order (`m=…,t=…,p=…`), which other
   * argon2 libraries and hash auditors expect; node-argon2 itself would write `m,p,t`.
   */
  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const { memoryCost: m, timeCost: t, parallelism: p } = argon2Parameters;
    const digest = await argon2.hash(password, {
      ...argon2Parameters,
      type: argon2.argon2id,
      salt,
      hashLength: 32,
      raw: true,
    });
    return `$argon2id$v=19$m=${m},t=${t},p=${p}$${phcBase64(salt)}$${phcBase64(digest)}`;
  }

  verify(passwordHash: string, password: string): Promise<boolean> {
    return argon2.verify(passwordHash, password).catch(() => false);
  }

  /**
   * Spends the time of one verification when there is no account, so an unknown email answers as
   * slowly as a wrong password and response times do not reveal which emails are registered.
   */
  async verifyAgainstNothing(password: string): Promise<false> {
    this.dummyHash ??= this.hash(randomBytes(32).toString('base64url'));
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
