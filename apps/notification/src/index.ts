import { defineService } from '@platform/http';
import { createApp } from './app';
import { loadNotificationConfig } from './config';

export { createApp, type NotificationAppOptions } from './app';
export { loadNotificationConfig, type NotificationConfig } from './config';

export const service = defineService({
  name: 'notification',
  loadConfig: loadNotificationConfig,
  createApp: (config) => createApp(config),
});
