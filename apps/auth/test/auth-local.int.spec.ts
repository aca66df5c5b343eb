import { randomUUID } from 'node:crypto';
import type { MongoClient } from 'mongodb';
import { UserRegistered } from '@platform/contracts';
import {
  connectMessaging,
  handlerOf,
  type IncomingMessage,
  type MessagingConnection,
} from '@platform/messaging';
import { createMongoClient } from '@platform/persistence';
import { eventually, listenOnEphemeralPort, requireInfrastructure, type RunningApp } from '@platform/testing';
import { createApp, generateSigningKeySet, loadAuthConfig } from '../src';
import { AuthClient } from './support/auth-client';
import { aRegistration } from './support/builders';

const mongoUrl = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const kafkaBrokers = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';

describe('auth in the local profile, against real MongoDB and Redis', () => {
  const database = `auth-int-${randomUUID().slice(0, 8)}`;
  let mongo: MongoClient;
  let auth: RunningApp;
  let client: AuthClient;
  let messaging: MessagingConnection;
  const received: IncomingMessage[] = [];
  const users = () => mongo.db(database).collection<{ _id: string; outbox?: unknown[] }>('users');
  beforeAll(async () => {
    messaging = await connectMessaging({ service: 'auth-int-test', profile: 'local', brokers: kafkaBrokers });
    await messaging.bus.subscribe({
      groupId: `auth-int-${randomUUID()}`,
      handlers: [handlerOf(UserRegistered, async (message) => void received.push(message))],
    });
    mongo = createMongoClient(mongoUrl, 'auth-int-test');
    await requireInfrastructure(`MongoDB at ${mongoUrl}`, () => mongo.connect());
    const config = loadAuthConfig({
      PROFILE: 'local',
      LOG_LEVEL: 'silent',
      MONGO_URL: mongoUrl,
      REDIS_URL: redisUrl,
      KAFKA_BROKERS: kafkaBrokers,
      MONGO_DATABASE: database,
      AUTH_SIGNING_KEYS: generateSigningKeySet(),
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
    });
    auth = await listenOnEphemeralPort(await createApp(config));
    client = new AuthClient(auth.baseUrl);
  });
  afterAll(async () => {
    await auth?.close();
    await messaging?.close();
    await mongo.db(database).dropDatabase();
    await mongo.close();
  });

  it('when MongoDB, Redis and Kafka answer, then /readyz is 200 and names them (and its consumer groups: none)', async () => {
    const body = await eventually(async () => {
      const response = await fetch(`${auth.baseUrl}/readyz`);
      return response.status === 200
        ? ((await response.json()) as { info: Record<string, unknown> })
        : undefined;
    }, 10_000);
    expect(Object.keys(body.info).sort()).toEqual([
      'consumer-groups',
      'consumers',
      'kafka',
      'mongodb',
      'redis',
    ]);
  });

  it('when a user registers, logs in, refreshes and asks who they are, then each step answers as the contract says', async () => {
    const registration = aRegistration();
    const registered = await client.register(registration);
    expect(registered.status).toBe(201);
    const loggedIn = await client.login(registration);
    expect(loggedIn.status).toBe(200);
    const refreshed = await client.refresh(loggedIn.body.refreshToken);
    expect(refreshed.status).toBe(200);
    const me = await client.me(refreshed.body.accessToken);
    expect(me.status).toBe(200);
    expect(me.body).toEqual(registered.body);
  });

  it('when a user registers, then the stored document has an argon2id hash and never the password', async () => {
    const registration = aRegistration({ name: 'Stored Person' });
    const { body: user } = await client.register(registration);
    const document = await mongo
      .db(database)
      .collection<{ _id: string; passwordHash: string }>('users')
      .findOne({ _id: user.id });
    expect(document).toMatchObject({
      _id: user.id,
      email: registration.email,
      name: 'Stored Person',
      roles: ['customer'],
    });
    expect(JSON.stringify(document)).not.toContain(registration.password);
    const [, , m, t, p] =
      /^\$argon2id\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(document?.passwordHash ?? '') ?? [];
    expect(Number(m)).toBeGreaterThanOrEqual(19_456);
    expect(Number(t)).toBeGreaterThanOrEqual(2);
    expect(Number(p)).toBe(1);
  });

  it('when a user registers, then the relay publishes UserRegistered on Kafka with the user, and removes it from the outbox', async () => {
    const registration = aRegistration({ name: 'Published Person' });
    const { body: user } = await client.register(registration);
    const published = await eventually(
      async () => received.find((message) => message.key === user.id),
      60_000,
    );
    expect(published).toMatchObject({
      type: UserRegistered.type,
      source: 'auth',
      subject: user.id,
      data: { userId: user.id, email: registration.email, name: 'Published Person' },
    });
    const document = await eventually(async () => {
      const stored = await users().findOne({ _id: user.id });
      return stored?.outbox?.length === 0 ? stored : undefined;
    });
    expect(document.outbox).toEqual([]);
  });

  it('when two registrations of one email race, then one answers 201 and the other 409', async () => {
    const registration = aRegistration();
    const replies = await Promise.all([
      client.register(registration),
      client.register({ ...registration, email: registration.email.toUpperCase() }),
    ]);
    expect(replies.map((reply) => reply.status).sort()).toEqual([201, 409]);
  });

  it('when a spent refresh token is replayed, then it answers 401 and the new token of its family stops working', async () => {
    const { tokens } = await client.registeredAndLoggedIn(aRegistration());
    const legitimate = await client.refresh(tokens.refreshToken);
    expect((await client.refresh(tokens.refreshToken)).status).toBe(401);
    expect((await client.refresh(legitimate.body.refreshToken)).status).toBe(401);
  });

  it('when two refreshes of one token race, then exactly one wins and the family is revoked', async () => {
    const { tokens } = await client.registeredAndLoggedIn(aRegistration());
    const replies = await Promise.all([
      client.refresh(tokens.refreshToken),
      client.refresh(tokens.refreshToken),
    ]);
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 401]);
    const winner = replies.find((reply) => reply.status === 200);
    expect((await client.refresh(winner?.body.refreshToken)).status).toBe(401);
  });

  it('when one account fails 5 logins, then the 6th answers 429 with Retry-After (counted in Redis)', async () => {
    const registration = aRegistration();
    await client.register(registration);
    for (let attempt = 1; attempt <= 5; attempt++)
      expect((await client.login({ ...registration, password: 'wrong password!' })).status).toBe(401);
    const blocked = await client.login(registration);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('when the admin is seeded, then it logs in and has the admin role', async () => {
    const reply = await client.login({ email: 'admin@platform.local', password: 'platform-admin-password' });
    expect(reply.status).toBe(200);
    const me = await client.me(reply.body.accessToken);
    expect(me.body.roles).toEqual(['admin']);
  });

  it('when the app starts again on the same database, then seeding and indexes are idempotent', async () => {
    const again = await createApp(
      loadAuthConfig({
        PROFILE: 'local',
        LOG_LEVEL: 'silent',
        MONGO_URL: mongoUrl,
        REDIS_URL: redisUrl,
        MONGO_DATABASE: database,
        AUTH_SIGNING_KEYS: generateSigningKeySet(),
      }),
    );
    await again.close();
    expect(
      await mongo.db(database).collection('users').countDocuments({ email: 'admin@platform.local' }),
    ).toBe(1);
  });
});
