import { z } from 'zod';
import { env, parseConfig } from '@platform/config';

const booleanFlag = () => z.stringbool({ truthy: ['true', '1'], falsy: ['false', '0'] }).default(false);

const providerSimSchema = z.object({
  PORT: env.port(3006),
  HOST: env.host(),
  PROFILE: env.profile(),
  LOG_LEVEL: env.logLevel(),
  LOG_FORMAT: env.logFormat(),
  OTEL_EXPORTER_OTLP_ENDPOINT: env.optionalUrl(),
  /** How long `tok_slow` takes to decide; by default well beyond the payment service's timeout. */
  SLOW_TOKEN_DELAY_MS: z.coerce.number().int().min(0).default(10_000),
  /** The faults in force at start; the admin endpoint changes them at run time. */
  FAULT_LATENCY_MS: z.coerce.number().int().min(0).default(0),
  FAULT_ERROR_RATE: z.coerce.number().min(0).max(1).default(0),
  FAULT_OUTAGE: booleanFlag(),
});

export type ProviderSimConfig = z.output<typeof providerSimSchema>;

export function loadProviderSimConfig(variables: NodeJS.ProcessEnv): ProviderSimConfig {
  return parseConfig(providerSimSchema, variables, 'payment-provider-sim');
}
