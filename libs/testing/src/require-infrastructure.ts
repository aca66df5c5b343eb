/**
 * Tests that need real infrastructure call this first: it fails the suite loudly, naming the
 * server and the command that starts it, instead of letting the suite skip or hang.
 */
export async function requireInfrastructure(
  name: string,
  probe: () => Promise<unknown>,
  timeoutMs = 5000,
): Promise<void> {
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${name} is not reachable (${reason}). Start the local infrastructure first: npm run infra:up`,
    );
  }
}

/** Polls until `condition` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  condition: () => Promise<T | undefined>,
  timeoutMs = 15000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await condition();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}
