import { defineService } from '@platform/http';
import { createApp } from './app';
import { loadPaymentConfig } from './config';

export { createApp, type PaymentAppOptions } from './app';
export { loadPaymentConfig, type PaymentConfig } from './config';

export const service = defineService({
  name: 'payment',
  loadConfig: loadPaymentConfig,
  createApp: (config) => createApp(config),
});
