export * from './token-factory';
export { startFakeAuthServer, type FakeAuthServer } from './fake-auth-server';
