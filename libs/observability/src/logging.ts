import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import { type Params, PinoLogger } from 'nestjs-pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import pretty from 'pino-pretty';
import { requestIdOf } from './request-id';
import { serviceInContext } from './service-context';
import { isOperationsPath } from './operations-paths';
import { inThisContext } from './server-span';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
/** `pretty`: one coloured line per entry, for a person; `json`: one JSON object per line, for machines. */
export type LogFormat = 'pretty' | 'json';

export interface LoggingOptions {
  serviceName: string;
  logLevel: LogLevel;
  /** Pretty when stdout is a terminal, JSON otherwise, unless set. */
  logFormat?: LogFormat | undefined;
}

/** Fields a pretty line leaves out: the request line's message already says them, or nobody reads them there. */
const omittedWhenPretty = [
  'pid',
  'hostname',
  'name',
  'context',
  'req',
  'res',
  'responseTime',
  'trace_id',
  'span_id',
  'trace_flags',
].join(',');

/**
 * nestjs-pino's parameters: pino through pino-http, one line per request at `info` (`GET /api/products
 * 200 3 ms`, 5xx at `error`), with the request's id and trace id (the pino instrumentation adds
 * `trace_id`). Every line is named after the service running it (`serviceInContext`), so the
 * embedded profile's one logger still says which service wrote each line.
 */
export function loggerParams(options: LoggingOptions): Params {
  const format = options.logFormat ?? (process.stdout.isTTY ? 'pretty' : 'json');
  const pinoOptions: PinoHttpOptions = {
    level: options.logLevel,
    // nestjs-pino keeps one logger per process (the first app's options), so the name is a mixin.
    mixin: () => ({ name: serviceInContext() ?? options.serviceName }),
    genReqId: (request) => requestIdOf(request),
    autoLogging: { ignore: (request) => isOperationsPath(request.url) },
    customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (request, response, responseTime) =>
      requestLine(request, response, `${Math.round(responseTime)} ms`),
    customErrorMessage: (request, response) => requestLine(request, response, 'failed'),
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    serializers: {
      req: (request: { id: unknown; method: string; url: string }) => ({
        id: request.id,
        method: request.method,
        url: request.url,
      }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
  };
  return { pinoHttp: format === 'pretty' ? [pinoOptions, prettyLines()] : pinoOptions };
}

function requestLine(request: IncomingMessage, response: ServerResponse, outcome: string): string {
  return `${request.method} ${request.url} ${response.statusCode} ${outcome}`;
}

/**
 * The request line of a request that no Express app serves (the gateway's proxy), once its
 * response ends: the line and fields pino-http writes for Express's requests, from the same logger
 * (`PinoLogger.root`), at the same levels, without pino-http's child logger per request. The line
 * carries the trace and span ids of the context this is called in.
 */
export function logWhenAnswered(
  request: IncomingMessage,
  response: ServerResponse,
  logger: () => Pick<PinoLogger['logger'], 'info' | 'error'> = () => PinoLogger.root,
): void {
  const startedAt = performance.now();
  const writeLine = () => {
    const responseTime = Math.round(performance.now() - startedAt);
    const fields = {
      req: { id: requestIdOf(request), method: request.method, url: request.url },
      res: { statusCode: response.statusCode },
      responseTime,
    };
    if (response.writableFinished && response.statusCode < 500) {
      logger().info(fields, requestLine(request, response, `${responseTime} ms`));
      return;
    }
    // What pino-http says in `err`, without an Error: its stack would be the logger's own, and
    // capturing it made each refusal of an open breaker dearer than a proxied call.
    const err = {
      message: response.writableFinished
        ? `failed with status code ${response.statusCode}`
        : 'request aborted',
    };
    logger().error({ ...fields, err }, requestLine(request, response, 'failed'));
  };
  response.once('close', inThisContext(writeLine));
}

/** `12:04:31.207 INFO  order     POST /api/orders 202 14 ms  trace 4bf92f3577b34da6a3ce929d0e0e4736` */
function prettyLines(): NodeJS.WritableStream {
  return pretty({
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: omittedWhenPretty,
    singleLine: true,
    sync: true,
    messageFormat: (log, messageKey, _level, { colors }) => {
      const service = colors.cyan(String(log['name'] ?? '').padEnd(20));
      const context = log['context'] ? colors.gray(`[${String(log['context'])}] `) : '';
      const trace = log['trace_id'] ? colors.gray(`  trace ${String(log['trace_id'])}`) : '';
      return `${service} ${context}${String(log[messageKey])}${trace}`;
    },
  });
}

/** Nest's own start-up chatter: module initialisation, route tables, "successfully started". */
const nestStartupContexts = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/**
 * The Nest logger of every app: Nest's start-up chatter goes to `debug`, so at `info` the terminal
 * shows what happens to requests and messages, not the route table of seven apps.
 */
export function withNestStartupAtDebug(logger: LoggerService): LoggerService {
  return {
    log: (message: unknown, ...params: unknown[]) => {
      const context = params.at(-1);
      if (typeof context === 'string' && nestStartupContexts.has(context)) logger.debug?.(message, ...params);
      else logger.log(message, ...params);
    },
    error: (message: unknown, ...params: unknown[]) => logger.error(message, ...params),
    warn: (message: unknown, ...params: unknown[]) => logger.warn(message, ...params),
    debug: (message: unknown, ...params: unknown[]) => logger.debug?.(message, ...params),
    verbose: (message: unknown, ...params: unknown[]) => logger.verbose?.(message, ...params),
    fatal: (message: unknown, ...params: unknown[]) => logger.fatal?.(message, ...params),
  };
}
