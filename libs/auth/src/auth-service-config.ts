import { z } from 'zod';

/**
 * The variables every service that verifies access tokens reads, as zod schema fields to spread into
 * its own configuration schema.
 */
export const authServiceEnv = {
  /** The auth service: access tokens are verified against `${AUTH_URL}/.well-known/jwks.json`. */
  AUTH_URL: z.url().default('http://127.0.0.1:3001'),
  AUTH_ISSUER: z.string().min(1).default('platform-auth'),
  AUTH_AUDIENCE: z.string().min(1).default('platform'),
};

export interface AuthServiceConfig {
  AUTH_URL: string;
  AUTH_ISSUER: string;
  AUTH_AUDIENCE: string;
}

/** Where the auth service publishes its key set. */
export function jwksUrlOf(authUrl: string): string {
  return `${authUrl.replace(/\/$/, '')}/.well-known/jwks.json`;
}
