export {
  ConfigError,
  env,
  kafkaTopicEnv,
  localProfileDefaults,
  parseConfig,
  requireOutsideEmbedded,
} from './parse-config';
