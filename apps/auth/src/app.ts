import { type INestApplication, Logger } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { createHttpApp } from '@platform/http';
import { connectMessaging, type MessagingConnection } from '@platform/messaging';
import { createMetricsRegistry } from '@platform/observability';
import { seedAdmin } from './admin/seed-admin';
import { type AuthAdapters, connectedAdapters, inMemoryAdapters } from './adapters';
import { AuthServiceModule } from './auth.module';
import type { AuthConfig } from './config';
import { LogIn } from './login/log-in';
import { LoginThrottle } from './login-throttle/login-throttle';
import { LogOut } from './logout/log-out';
import { PasswordHasher } from './passwords/password-hasher';
import { RotateRefreshToken } from './refresh/rotate-refresh-token';
import { RegisterUser } from './register/register-user';
import { SigningKeys } from './signing-keys/signing-keys';
import { AccessTokenIssuer } from './tokens/access-token-issuer';
import { TokenPairIssuer } from './tokens/token-pair-issuer';

/** The auth service, as main.ts, the embedded runner and the tests start it. */
export async function createApp(config: AuthConfig): Promise<INestApplication> {
  const adapters = config.PROFILE === 'embedded' ? inMemoryAdapters() : await connectedAdapters(config);
  const metricsRegistry = createMetricsRegistry('auth');
  let messaging: MessagingConnection | undefined;
  try {
    messaging = await connectMessaging({
      service: 'auth',
      profile: config.PROFILE,
      brokers: config.KAFKA_BROKERS,
      topicPartitions: config.KAFKA_TOPIC_PARTITIONS,
      topicReplicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR,
      metrics: metricsRegistry,
    });
    return await createAppWith(config, adapters, messaging, metricsRegistry);
  } catch (error) {
    await messaging?.close();
    await Promise.allSettled(adapters.closables.map((closable) => closable.close()));
    throw error;
  }
}

async function createAppWith(
  config: AuthConfig,
  adapters: AuthAdapters,
  messaging: MessagingConnection,
  metricsRegistry: Registry,
): Promise<INestApplication> {
  const { users, refreshTokens, attempts } = adapters;
  const signingKeys = await SigningKeys.from(config.AUTH_SIGNING_KEYS);
  const passwords = new PasswordHasher();
  const accessTokens = new AccessTokenIssuer(signingKeys, {
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  const tokenPairs = new TokenPairIssuer(accessTokens, refreshTokens, config.REFRESH_TOKEN_TTL_SECONDS);
  const throttle = new LoginThrottle(
    attempts,
    {
      maxFailuresPerAccountFromAddress: config.LOGIN_MAX_FAILURES_PER_ACCOUNT_FROM_ADDRESS,
      maxFailuresPerAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowMs: config.LOGIN_THROTTLE_WINDOW_SECONDS * 1000,
    },
    new Logger('LoginThrottle'),
  );
  const registerUser = new RegisterUser(users, passwords);
  await seedAdmin(users, registerUser, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
  // Publishes the UserRegistered events that registration wrote into the users' own documents.
  messaging.startOutboxRelay(users.outbox, { pollIntervalMs: config.OUTBOX_RELAY_INTERVAL_MS });
  return createHttpApp(
    AuthServiceModule.forRoot(config, {
      users,
      signingKeys,
      registerUser,
      logIn: new LogIn(users, passwords, throttle, refreshTokens, tokenPairs),
      rotateRefreshToken: new RotateRefreshToken(refreshTokens, users, tokenPairs),
      logOut: new LogOut(refreshTokens),
      readinessChecks: [...adapters.readinessChecks, ...messaging.readinessChecks],
      // Messaging first: the relay stops before the database it reads from closes.
      closables: [{ name: 'messaging', close: () => messaging.close() }, ...adapters.closables],
      metricsRegistry,
    }),
    { apiTitle: 'auth' },
  );
}
