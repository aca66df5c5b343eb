import { ROOT_CONTEXT, TraceFlags, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { PasswordHasher } from '../src/passwords/password-hasher';
import { RegisterUser } from '../src/register/register-user';
import { InMemoryUsersRepository } from '../src/users/in-memory-users.repository';
import { aRegistration } from './support/builders';

describe('RegisterUser', () => {
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(() => context.setGlobalContextManager(contextManager.enable()));
  afterAll(() => {
    contextManager.disable();
    context.disable();
  });

  const now = new Date('2026-01-02T03:04:05.000Z');
  const passwords = {
    hash: async () => '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
  } as unknown as PasswordHasher;

  it('when a user registers inside a traced request, then UserRegistered is written with the user and that trace', async () => {
    const users = new InMemoryUsersRepository();
    const registerUser = new RegisterUser(users, passwords, () => now);
    const span = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    };
    const registration = aRegistration({ name: 'Traced Person' });
    const profile = await context.with(trace.setSpanContext(ROOT_CONTEXT, span), () =>
      registerUser.execute(registration),
    );
    const [claimed] = await users.outbox.claim({ owner: 'test', limit: 10, leaseMs: 1000, now });
    expect(claimed?.event).toEqual({
      id: expect.any(String),
      type: 'UserRegistered',
      occurredAt: now,
      data: { userId: profile.id, email: registration.email, name: 'Traced Person' },
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: null,
      correlationId: null,
      state: 'pending',
      attempts: 0,
    });
  });

  it('when no span is active, then the event is written without a trace', async () => {
    const users = new InMemoryUsersRepository();
    await new RegisterUser(users, passwords, () => now).execute(aRegistration());
    const [claimed] = await users.outbox.claim({ owner: 'test', limit: 10, leaseMs: 1000, now });
    expect(claimed?.event.traceparent).toBeNull();
  });
});
