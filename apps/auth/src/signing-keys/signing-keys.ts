import { importJWK, type CryptoKey } from 'jose';
import {
  generateSigningKey,
  publicPartOf,
  type PrivateSigningJwk,
  type PublicSigningJwk,
} from './signing-key-set';

/** The keys of this service: the one that signs now, and every public key verifiers must accept. */
export class SigningKeys {
  private constructor(
    readonly current: { kid: string; privateKey: CryptoKey | Uint8Array },
    readonly publicJwks: { keys: PublicSigningJwk[] },
  ) {}

  /** `keys` from AUTH_SIGNING_KEYS; undefined (the embedded profile only) generates one key for this process. */
  static async from(keys: PrivateSigningJwk[] | undefined): Promise<SigningKeys> {
    const set = keys && keys.length > 0 ? keys : [generateSigningKey()];
    const signer = set[set.length - 1] as PrivateSigningJwk;
    const privateKey = await importJWK({ ...signer }, 'EdDSA');
    return new SigningKeys({ kid: signer.kid, privateKey }, { keys: set.map(publicPartOf) });
  }
}
