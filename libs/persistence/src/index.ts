export { ConnectionsModule, type Closable } from './connections.module';
export { createMongoClient, mongoReadiness } from './mongo';
export { isDuplicateKeyError } from './mongo-errors';
export { createRedisClient, redisReadiness } from './redis';
export { cassandraReadiness, createCassandraClient } from './cassandra';
export { ensureKeyspace, keyspaceNamePattern } from './cassandra-keyspace';
export { isStoreUnavailable } from './store-unavailable';
