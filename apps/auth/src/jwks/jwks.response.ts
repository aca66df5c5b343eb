import { z } from 'zod';

/** `GET /.well-known/jwks.json`: the public parts of the signing keys (`publicPartOf`). */
export const jwksResponse = z.object({
  keys: z.array(
    z.object({
      kty: z.literal('OKP'),
      crv: z.literal('Ed25519'),
      x: z.string(),
      kid: z.string(),
      alg: z.literal('EdDSA'),
      use: z.literal('sig'),
    }),
  ),
});
