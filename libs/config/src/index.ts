export { ConfigError, env, parseConfig } from './parse-config';
