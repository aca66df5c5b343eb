export { listenOnEphemeralPort, type RunningApp } from './http-test-server';
export { eventually, requireInfrastructure } from './require-infrastructure';
export {
  freePort,
  freePorts,
  startServiceProcess,
  type ServiceProcess,
  type ServiceProcessOptions,
} from './service-process';
export { fetchJaegerTrace, servicesOf, type JaegerSpan, type JaegerTrace } from './jaeger';
export { startTcpProxy, type TcpProxy } from './tcp-proxy';
export { Toxiproxy, type Toxic } from './toxiproxy';
export { embeddedApps, startEmbedded, stopEmbedded, type EmbeddedPlatform } from './embedded-platform';
export { runNodeCli, type CliRun } from './node-cli';
