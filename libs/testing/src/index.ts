export { listenOnEphemeralPort, type RunningApp } from './http-test-server';
export { eventually, requireInfrastructure } from './require-infrastructure';
export { freePort, startServiceProcess, type ServiceProcess } from './service-process';
export { fetchJaegerTrace, servicesOf, type JaegerSpan, type JaegerTrace } from './jaeger';
