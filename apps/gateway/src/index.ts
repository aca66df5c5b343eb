import { defineService } from '@platform/http';
import { createApp } from './app';
import { loadGatewayConfig } from './config';

export { createApp } from './app';
export { loadGatewayConfig, type GatewayConfig } from './config';

export const service = defineService({ name: 'gateway', loadConfig: loadGatewayConfig, createApp });
