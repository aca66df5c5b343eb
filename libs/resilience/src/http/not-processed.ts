import type { Dispatcher } from 'undici';

/**
 * The header of an answer given without processing the request at all: a server still starting
 * (`listenWhileStarting` in `libs/http`), or one shedding load (503 `overloaded`). Like a refused
 * connection, it makes sending the request to another instance safe, whatever its method; and
 * like a refusal it says nothing against the server's health, so no breaker counts it as a failure.
 */
export const notProcessedHeader = 'x-request-not-processed';

export function answeredUnprocessed(
  response: Pick<Dispatcher.ResponseData, 'statusCode' | 'headers'>,
): boolean {
  return response.statusCode === 503 && response.headers[notProcessedHeader] !== undefined;
}
