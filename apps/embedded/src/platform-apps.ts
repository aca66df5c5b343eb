import type { ServiceDefinition } from '@platform/http';
import { join } from 'node:path';

/**
 * Every app of the platform, by Nx project name, in start-up order (the gateway last, once its
 * upstreams answer). A new service joins the embedded profile by adding its name here; project.json
 * builds every `type:app` project before this runner.
 */
export const platformAppNames = [
  'auth',
  'inventory',
  'notification',
  'payment-provider-sim',
  'payment',
  'order',
  'gateway',
];

/**
 * The built app beside this runner in dist/. Loaded at run time rather than imported, because apps
 * never import apps: the project graph stays apps -> libs.
 */
export function loadPlatformApp(name: string): ServiceDefinition {
  const entry = join(__dirname, '..', '..', name, 'src', 'index.js');
  const { service } = require(entry) as { service?: ServiceDefinition };
  if (!service) throw new Error(`${entry} exports no 'service' definition`);
  return service;
}
