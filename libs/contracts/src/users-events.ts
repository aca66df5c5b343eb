import { z } from 'zod';
import { defineMessage, type PayloadOf } from './message-definition';
import { identifier } from './payload-fields';
import { topics } from './topics';

/** Written by apps/auth into its outbox as type 'UserRegistered' with exactly this data. */
export const UserRegistered = defineMessage({
  name: 'UserRegistered',
  type: 'platform.users.user-registered.v1',
  topic: topics.usersEvents,
  keyField: 'userId',
  schema: z.object({ userId: identifier, email: z.email().max(254), name: z.string().min(1).max(200) }),
});
export type UserRegistered = PayloadOf<typeof UserRegistered>;
