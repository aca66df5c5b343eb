import { z } from 'zod';
import { emailAddress, printableText } from '@platform/http';
import { passwordLength, passwordPolicyViolation } from '../domain/password-policy';

export const registerRequest = z.strictObject({
  email: emailAddress(),
  // The policy counts Unicode code points, which .min()/.max() would not; .meta() documents it.
  password: z
    .string()
    .superRefine((password, context) => {
      const violation = passwordPolicyViolation(password);
      if (violation) context.addIssue({ code: 'custom', message: violation });
    })
    .meta({
      minLength: passwordLength.min,
      maxLength: passwordLength.max,
      description: 'Length in Unicode code points.',
    }),
  name: printableText(100),
});

export type RegisterRequest = z.output<typeof registerRequest>;
