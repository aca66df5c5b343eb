/* eslint-disable @nx/enforce-module-boundaries -- see below */
/**
 * What this tool takes from its sibling tools rather than restating: how the local servers are
 * reached (tools/infra) and how dead-letter topics are read (tools/dlq). Tools run from source on
 * Node (type stripping) without the workspace's path aliases, so a relative import is the only
 * way to share their code; it is kept to this one file.
 */
export { connectionEnv } from '../../infra/src/connection-env.ts';
export {
  connectAdmin,
  kafkaOf,
  messageOf,
  OperatorError,
  readTopic,
  whileLeadershipSettles,
} from '../../dlq/src/kafka-client.ts';
export { formatTable } from '../../dlq/src/format.ts';
export { deadLetterSuffix, type TopicRecord } from '../../dlq/src/wire.ts';
