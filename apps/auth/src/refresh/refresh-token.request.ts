import { z } from 'zod';

/** `{ refreshToken }`, the body of both refresh and logout. */
export const refreshTokenRequest = z.strictObject({ refreshToken: z.string().min(1).max(512) });

export type RefreshTokenRequest = z.output<typeof refreshTokenRequest>;
