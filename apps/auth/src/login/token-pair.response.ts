import { z } from 'zod';

/** The 200 of login and refresh (`TokenPair`). */
export const tokenPairResponse = z
  .object({
    accessToken: z
      .string()
      .meta({ description: 'A JWT (EdDSA, `typ: at+jwt`) for `Authorization: Bearer`.' }),
    refreshToken: z.string().meta({ description: 'Opaque and single-use: each refresh spends it.' }),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().positive().meta({ description: 'Seconds the access token lives.' }),
  })
  .meta({
    example: {
      accessToken: 'eyJhbGciOiJFZERTQSIsInR5cCI6ImF0K2p3dCJ9.…',
      refreshToken: 'V2hvIHJlYWRzIHRoaXM_',
      tokenType: 'Bearer',
      expiresIn: 900,
    },
  });
