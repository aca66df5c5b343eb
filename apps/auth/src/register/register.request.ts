import { z } from 'zod';
import { passwordPolicyViolation } from '../domain/password-policy';

export const registerRequest = z.strictObject({
  email: z.email().max(254),
  password: z.string().superRefine((password, context) => {
    const violation = passwordPolicyViolation(password);
    if (violation) context.addIssue({ code: 'custom', message: violation });
  }),
  name: z.string().trim().min(1).max(100),
});

export type RegisterRequest = z.output<typeof registerRequest>;
