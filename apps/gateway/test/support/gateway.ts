import { OperationsPort } from '@platform/observability';
import { listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import { createApp, loadGatewayConfig } from '../../src';

export interface RunningGateway extends RunningApp {
  /** Its operations port: /healthz, /readyz, /metrics. */
  operationsUrl: string;
}

/**
 * The gateway as createApp builds it, embedded profile (in-memory limiter), its public and
 * operations ports ephemeral.
 */
export async function startGateway(variables: NodeJS.ProcessEnv = {}): Promise<RunningGateway> {
  const running = await listenOnEphemeralPort(
    await createApp(loadGatewayConfig({ LOG_LEVEL: 'silent', PROFILE: 'embedded', OPS_PORT: '0', ...variables })),
  );
  const operationsUrl = running.app.get(OperationsPort).url();
  if (!operationsUrl) throw new Error('the gateway did not open its operations port');
  return { ...running, operationsUrl };
}

/** One metric's value for the given labels from a Prometheus text exposition, or undefined. */
export async function metricValue(
  baseUrl: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
      return Number(line.split(' ').pop());
  }
  return undefined;
}
