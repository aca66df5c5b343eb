import { defineService } from '@platform/http';
import { createApp } from './app';
import { loadInventoryConfig } from './config';

export { createApp } from './app';
export { loadInventoryConfig, type InventoryConfig } from './config';

export const service = defineService({ name: 'inventory', loadConfig: loadInventoryConfig, createApp });
