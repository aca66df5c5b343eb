import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { json } from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { jsonDepthOf, maxJsonDepth } from './json-depth';
import { repeatsMemberName } from './json-member-names';
import { ProblemException } from './problem';

export const defaultBodyLimit = '64kb';

/** A body-parser middleware: plain Node request and response, so the gateway's proxy uses it without Express. */
type BodyParser = ReturnType<typeof json>;

/** A request whose JSON body was read, where `readJsonBody` leaves it. */
export type RequestWithBody = IncomingMessage & { body?: unknown };

const parsers = new Map<string, BodyParser>();

/**
 * Reads a JSON request body into `request.body`, bounded in size (413) and depth (400), with a
 * problem+json refusal for each way it can be wrong, UTF-8 only (RFC 8259 §8.1; invalid bytes are
 * refused, not replaced by U+FFFD), each member named once per object, and not empty on a POST, PUT
 * or PATCH (no `{}` made up). A body that is not JSON is left unread. Apps read bodies as their first middleware (`createHttpApp`); the gateway reads
 * them only once a request is admitted, so refused bodies count against the caller's rate limit
 * like any request.
 */
export async function readJsonBody(
  request: RequestWithBody,
  response: ServerResponse,
  limit = defaultBodyLimit,
): Promise<void> {
  let parse = parsers.get(limit);
  if (!parse) {
    parse = json({ limit, verify: refuseAmbiguousText });
    parsers.set(limit, parse);
  }
  await new Promise<void>((resolve, reject) =>
    parse(request, response, (error?: unknown) => (error ? reject(problemOfParserError(error)) : resolve())),
  );
  if (request.body !== null && typeof request.body === 'object' && jsonDepthOf(request.body) > maxJsonDepth)
    throw new ProblemException({
      status: 400,
      type: 'body-too-deep',
      detail: `The JSON body nests deeper than ${maxJsonDepth} levels.`,
    });
}

/** `readJsonBody` as Express middleware. */
export function jsonBodyMiddleware(limit = defaultBodyLimit): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    readJsonBody(request, response, limit).then(() => next(), next);
  };
}

/** Methods whose JSON body is the request's content: an empty one is not read as `{}`. */
const methodsWithContent = new Set(['POST', 'PUT', 'PATCH']);

/** The checks JSON.parse does not make, on the bytes as received (after Content-Encoding). */
function refuseAmbiguousText(
  request: IncomingMessage,
  _response: ServerResponse,
  bytes: Buffer,
  charset: string,
) {
  if (bytes.length === 0 && methodsWithContent.has(request.method ?? ''))
    throw Object.assign(new Error('empty'), { status: 400, type: 'entity.empty' });
  if (charset.toLowerCase() !== 'utf-8')
    throw Object.assign(new Error(`charset ${charset}`), { status: 415, type: 'charset.unsupported' });
  if (!isUtf8(bytes)) throw Object.assign(new Error('not UTF-8'), { status: 400, type: 'entity.not.utf8' });
  if (repeatsMemberName(bytes.toString('utf8')))
    throw Object.assign(new Error('a member named twice'), { status: 400, type: 'entity.repeated.member' });
}

/** body-parser's errors (http-errors with a `type`) as the platform's problems. */
function problemOfParserError(error: unknown): unknown {
  const { status, type } = error as { status?: number; type?: string };
  if (type === 'entity.too.large')
    return new ProblemException({
      status: 413,
      type: 'body-too-large',
      detail: 'The request body is too large.',
    });
  if (type === 'entity.parse.failed')
    return new ProblemException({
      status: 400,
      type: 'invalid-json',
      detail: 'The request body is not valid JSON.',
    });
  if (type === 'entity.empty')
    return new ProblemException({
      status: 400,
      type: 'invalid-json',
      detail: 'The request body is empty: JSON was announced.',
    });
  if (type === 'entity.not.utf8')
    return new ProblemException({
      status: 400,
      type: 'invalid-json',
      detail: 'The request body is not valid UTF-8.',
    });
  if (type === 'entity.repeated.member')
    return new ProblemException({
      status: 400,
      type: 'invalid-json',
      detail: 'The request body names a member twice in one object.',
    });
  if (type === 'charset.unsupported' || type === 'encoding.unsupported')
    return new ProblemException({
      status: 415,
      type: 'unsupported-encoding',
      detail: 'The request body must be JSON in UTF-8, uncompressed, gzip or deflate.',
    });
  if (status !== undefined && status >= 400 && status < 500)
    return new ProblemException({ status, detail: 'The request body could not be read.' });
  return error;
}
