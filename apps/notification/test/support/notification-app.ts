import { listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import { createApp, loadNotificationConfig, type NotificationAppOptions } from '../../src';

/** The notification service in the embedded profile on an ephemeral port, as a component test starts it. */
export async function startEmbeddedNotification(
  env: NodeJS.ProcessEnv,
  options: NotificationAppOptions = {},
): Promise<RunningApp> {
  return listenOnEphemeralPort(
    await createApp(loadNotificationConfig({ LOG_LEVEL: 'silent', PROFILE: 'embedded', ...env }), options),
  );
}
