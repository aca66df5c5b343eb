import { listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import { createApp, loadGatewayConfig } from '../../src';

/** The gateway as createApp builds it, embedded profile (in-memory limiter), on an ephemeral port. */
export async function startGateway(variables: NodeJS.ProcessEnv = {}): Promise<RunningApp> {
  return listenOnEphemeralPort(
    await createApp(loadGatewayConfig({ LOG_LEVEL: 'silent', PROFILE: 'embedded', ...variables })),
  );
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
