import { z } from 'zod';
import { passwordLength } from '../domain/password-policy';

// No policy check at login (a stored password may predate a policy), only bounds against abuse.
export const loginRequest = z.strictObject({
  email: z.string().min(1).max(254),
  password: z
    .string()
    .min(1)
    .max(passwordLength.max * 4),
});

export type LoginRequest = z.output<typeof loginRequest>;
