import type { INestApplication } from '@nestjs/common';

/** What every service exports from its `index.ts`, so the embedded runner can start it like its own main.ts does. */
export interface ServiceDefinition<
  Config extends { PORT: number; HOST: string } = { PORT: number; HOST: string },
> {
  name: string;
  loadConfig(env: NodeJS.ProcessEnv): Config;
  createApp(config: Config): Promise<INestApplication>;
}

export function defineService<Config extends { PORT: number; HOST: string }>(
  definition: ServiceDefinition<Config>,
): ServiceDefinition<Config> {
  return definition;
}
