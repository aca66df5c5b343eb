/** Error codes of the connection itself: nothing (or nothing sane) is listening. */
const connectionErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return codeOf((error as { cause?: unknown }).cause);
}

/** Whether an undici or socket error (or one it wraps) means the dependency could not be reached. */
export function isConnectionError(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && connectionErrorCodes.has(code);
}
