import { defineService } from '@platform/http';
import { createApp } from './app';
import { loadAuthConfig } from './config';

export { createApp } from './app';
export { loadAuthConfig, type AuthConfig } from './config';
export { generateSigningKeySet } from './signing-keys/signing-key-set';

export const service = defineService({ name: 'auth', loadConfig: loadAuthConfig, createApp });
