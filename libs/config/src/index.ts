export { ConfigError, env, localProfileDefaults, parseConfig } from './parse-config';
