export { listenOnEphemeralPort, type RunningApp } from './http-test-server';
export { eventually, requireInfrastructure } from './require-infrastructure';
