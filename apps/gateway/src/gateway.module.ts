import { type DynamicModule, Module } from '@nestjs/common';
import { ObservabilityModule } from '@platform/observability';
import type { GatewayConfig } from './config';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [ObservabilityModule.forRoot({ serviceName: 'gateway', logLevel: config.LOG_LEVEL })],
    };
  }
}
