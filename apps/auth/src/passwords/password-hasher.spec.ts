import * as argon2 from 'argon2';
import { PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('when a password is hashed, then the hash is argon2id with at least the OWASP parameters (m >= 19456 KiB, t >= 2, p = 1)', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/.exec(
      hash,
    );
    expect(match).not.toBeNull();
    const [, m, t, p] = match ?? [];
    expect(Number(m)).toBeGreaterThanOrEqual(19_456);
    expect(Number(t)).toBeGreaterThanOrEqual(2);
    expect(Number(p)).toBe(1);
    expect(hash).not.toContain('correct horse');
  });

  it('when the same password is hashed twice, then the salts differ', async () => {
    expect(await hasher.hash('correct horse battery staple')).not.toBe(
      await hasher.hash('correct horse battery staple'),
    );
  });

  it('when the right password is verified, then it matches; a wrong one does not', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(await hasher.verify(hash, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(hash, 'correct horse battery stapler')).toBe(false);
  });

  it('when a hash was written by node-argon2 itself (m,p,t order), then it still verifies', async () => {
    const hash = await argon2.hash('correct horse battery staple', {
      type: argon2.argon2id,
      memoryCost: 19_456,
      timeCost: 2,
      parallelism: 1,
    });
    expect(await hasher.verify(hash, 'correct horse battery staple')).toBe(true);
  });

  it('when the stored hash is malformed, then verification fails instead of throwing', async () => {
    expect(await hasher.verify('not-a-hash', 'whatever password')).toBe(false);
  });

  it('when there is no account, then the dummy verification runs and fails', async () => {
    await expect(hasher.verifyAgainstNothing('correct horse battery staple')).resolves.toBe(false);
  });
});
