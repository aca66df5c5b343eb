import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Role } from '../domain/user';
import type { SigningKeys } from '../signing-keys/signing-keys';

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

/** Access tokens as RFC 9068 profiles them: `typ: at+jwt`, EdDSA, `kid` of the signing key. */
export class AccessTokenIssuer {
  constructor(
    private readonly keys: SigningKeys,
    private readonly settings: AccessTokenSettings,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get ttlSeconds(): number {
    return this.settings.ttlSeconds;
  }

  issue(user: { id: string; roles: Role[] }): Promise<string> {
    const issuedAt = Math.floor(this.clock().getTime() / 1000);
    return new SignJWT({ roles: user.roles })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.keys.current.kid, typ: 'at+jwt' })
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setSubject(user.id)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.settings.ttlSeconds)
      .setJti(randomUUID())
      .sign(this.keys.current.privateKey);
  }
}
