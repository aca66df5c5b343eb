export { ConfigError, env, localProfileDefaults, parseConfig, requireOutsideEmbedded } from './parse-config';
