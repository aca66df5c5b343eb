import { defineService } from '@platform/http';
import { createApp } from './app';
import { loadOrderConfig } from './config';

export { createApp } from './app';
export { loadOrderConfig, type OrderConfig } from './config';

export const service = defineService({ name: 'order', loadConfig: loadOrderConfig, createApp });
