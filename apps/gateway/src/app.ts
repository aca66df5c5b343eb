import type { INestApplication } from '@nestjs/common';
import { createHttpApp } from '@platform/http';
import type { GatewayConfig } from './config';
import { GatewayModule } from './gateway.module';

/** The gateway, as main.ts, the embedded runner and the tests start it. */
export function createApp(config: GatewayConfig): Promise<INestApplication> {
  return createHttpApp(GatewayModule.forRoot(config));
}
