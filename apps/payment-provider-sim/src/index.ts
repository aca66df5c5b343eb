import { defineService } from '@platform/http';
import { createApp } from './app';
import { loadProviderSimConfig } from './config';

export { createApp } from './app';
export { loadProviderSimConfig, type ProviderSimConfig } from './config';
export { type SimulatorRuntime } from './runtime';

export const service = defineService({
  name: 'payment-provider-sim',
  loadConfig: loadProviderSimConfig,
  createApp: (config) => createApp(config),
});
