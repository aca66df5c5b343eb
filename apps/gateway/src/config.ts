import { z } from 'zod';
import { env, parseConfig } from '@platform/config';

const gatewaySchema = z.object({
  PORT: env.port(8080),
  HOST: env.host(),
  PROFILE: env.profile(),
  LOG_LEVEL: env.logLevel(),
  OTEL_EXPORTER_OTLP_ENDPOINT: env.optionalUrl(),
});

export type GatewayConfig = z.output<typeof gatewaySchema>;

export function loadGatewayConfig(variables: NodeJS.ProcessEnv): GatewayConfig {
  return parseConfig(gatewaySchema, variables, 'gateway');
}
