import { generateSigningKeySet, signingKeySetSchema } from './signing-key-set';

describe('signing key set', () => {
  it('when a key set is generated, then it parses back as one Ed25519 private key with a thumbprint kid', () => {
    const keys = signingKeySetSchema.parse(generateSigningKeySet());
    expect(keys).toEqual([
      {
        kty: 'OKP',
        crv: 'Ed25519',
        x: expect.any(String),
        d: expect.any(String),
        kid: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      },
    ]);
  });

  it('when two keys share a kid, then the set is refused', () => {
    const [key] = JSON.parse(generateSigningKeySet()).keys;
    expect(signingKeySetSchema.safeParse(JSON.stringify({ keys: [key, key] })).success).toBe(false);
  });

  it("when a key's x does not belong to its d, then the set is refused", () => {
    const [first] = JSON.parse(generateSigningKeySet()).keys;
    const [second] = JSON.parse(generateSigningKeySet()).keys;
    const result = signingKeySetSchema.safeParse(JSON.stringify({ keys: [{ ...first, x: second.x }] }));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/is not the public key/);
  });
});
