import type { IncomingMessage } from 'node:http';

/** Whose bucket a request draws from. */
export type Caller = { kind: 'user'; key: string } | { kind: 'anonymous'; key: string };

/** Verifies an access token and returns its user id; throws when the token is not acceptable. */
export type VerifyAccessToken = (token: string) => Promise<{ id: string }>;

/**
 * How long keying may wait for the token's verification (normally microseconds, the key set being
 * cached). Past it, or while the auth service cannot be asked for its keys, the request is keyed
 * by address: the rate limit must not make every request wait on the auth service.
 */
const verificationBudgetMs = 500;

/**
 * A caller with a valid access token is limited per user; anyone else per client address (the
 * socket's, never a client-sent X-Forwarded-For). An invalid token is not refused here: the
 * services verify tokens themselves and answer 401.
 */
export function callerIdentity(
  verify: VerifyAccessToken | undefined,
): (request: IncomingMessage) => Promise<Caller> {
  return async (request) => {
    const anonymous: Caller = {
      kind: 'anonymous',
      key: `address:${request.socket.remoteAddress ?? 'unknown'}`,
    };
    const token = bearerTokenOf(request.headers.authorization);
    if (!token || !verify) return anonymous;
    let timer: NodeJS.Timeout | undefined;
    const outOfTime = new Promise<undefined>(
      (resolve) => (timer = setTimeout(() => resolve(undefined), verificationBudgetMs)),
    );
    try {
      const user = await Promise.race([verify(token), outOfTime]);
      return user ? { kind: 'user', key: `user:${user.id}` } : anonymous;
    } catch {
      return anonymous;
    } finally {
      clearTimeout(timer);
    }
  };
}

function bearerTokenOf(authorization: string | undefined): string | undefined {
  const match = /^Bearer[ ]+([\w.~+/-]+=*)$/i.exec(authorization ?? '');
  return match?.[1];
}
