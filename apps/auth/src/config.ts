import { z } from 'zod';
import { env, kafkaTopicEnv, parseConfig, requireOutsideEmbedded } from '@platform/config';
import { passwordPolicyViolation } from './domain/password-policy';
import { signingKeySetSchema } from './signing-keys/signing-key-set';

export const defaultAdminPassword = 'platform-admin-password';

/**
 * The public half (`x`) of every signing key whose private half is committed to this repository
 * (infra/compose/auth.dev.env, the compose profile's): anyone could sign tokens with it, so the
 * production profile refuses a key set holding one.
 */
export const developmentSigningKeys: readonly string[] = ['E9g5s4dzvniTR4WtPj8oQH2nGtFJqPy6fp2iKQk5VIc'];

const positiveSeconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const positiveCount = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const authSchema = z
  .object({
    PORT: env.port(3001),
    HOST: env.host(),
    PROFILE: env.profile(),
    LOG_LEVEL: env.logLevel(),
    LOG_FORMAT: env.logFormat(),
    OTEL_EXPORTER_OTLP_ENDPOINT: env.optionalUrl(),
    MONGO_URL: env.optionalString(),
    MONGO_DATABASE: z.string().min(1).default('auth'),
    REDIS_URL: env.optionalString(),
    KAFKA_BROKERS: env.optionalString(),
    ...kafkaTopicEnv,
    /**
     * How often the outbox relay looks for UserRegistered events it was not told about (a crash,
     * another instance): each registration wakes it at once, so this is only the safety net.
     */
    OUTBOX_RELAY_INTERVAL_MS: positiveCount(5000),
    AUTH_ISSUER: z.string().min(1).default('platform-auth'),
    AUTH_AUDIENCE: z.string().min(1).default('platform'),
    /** A JSON JWK set of Ed25519 private keys; the last one signs, all are published (public parts only). */
    AUTH_SIGNING_KEYS: env.optionalString().pipe(signingKeySetSchema.optional()),
    ACCESS_TOKEN_TTL_SECONDS: positiveSeconds(900),
    REFRESH_TOKEN_TTL_SECONDS: positiveSeconds(14 * 24 * 3600),
    // Login throttling (login-throttle/login-throttle.ts says why these three and these numbers).
    LOGIN_MAX_FAILURES_PER_ACCOUNT_FROM_ADDRESS: positiveCount(5),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveCount(20),
    LOGIN_MAX_FAILURES_PER_ADDRESS: positiveCount(100),
    LOGIN_THROTTLE_WINDOW_SECONDS: positiveSeconds(15 * 60),
    ADMIN_EMAIL: z.email().default('admin@platform.local'),
    ADMIN_PASSWORD: z.string().default(defaultAdminPassword),
  })
  .superRefine((config, context) => {
    requireOutsideEmbedded(config, context, ['MONGO_URL', 'REDIS_URL', 'KAFKA_BROKERS', 'AUTH_SIGNING_KEYS']);
    if (config.PROFILE === 'production' && config.ADMIN_PASSWORD === defaultAdminPassword) {
      context.addIssue({
        code: 'custom',
        path: ['ADMIN_PASSWORD'],
        message: 'must not be the default password in the production profile',
      });
    }
    if (
      config.PROFILE === 'production' &&
      config.AUTH_SIGNING_KEYS?.some((key) => developmentSigningKeys.includes(key.x))
    ) {
      context.addIssue({
        code: 'custom',
        path: ['AUTH_SIGNING_KEYS'],
        message: 'must not hold a development key committed to the repository in the production profile',
      });
    }
    const weakness = passwordPolicyViolation(config.ADMIN_PASSWORD);
    if (weakness) context.addIssue({ code: 'custom', path: ['ADMIN_PASSWORD'], message: weakness });
  });

export type AuthConfig = z.output<typeof authSchema>;

export function loadAuthConfig(variables: NodeJS.ProcessEnv): AuthConfig {
  return parseConfig(authSchema, variables, 'auth');
}
