import { z } from 'zod';

/** What a user sees of their own account (`publicProfileOf`): the 201 of register, the 200 of /me. */
export const userProfileResponse = z
  .object({
    id: z.uuid(),
    email: z.string().meta({ description: 'Trimmed and lower-cased.' }),
    name: z.string(),
    roles: z.array(z.enum(['customer', 'admin'])),
  })
  .meta({
    example: {
      id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      email: 'ada@example.com',
      name: 'Ada',
      roles: ['customer'],
    },
  });
