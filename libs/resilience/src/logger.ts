/**
 * What the policies log through: a subset of Nest's Logger, so `new Logger('Payments')` fits
 * (with nestjs-pino, an object first becomes the line's fields).
 */
export interface ResilienceLogger {
  log(message: unknown, ...optionalParams: unknown[]): void;
  warn(message: unknown, ...optionalParams: unknown[]): void;
}

export const silentLogger: ResilienceLogger = { log: () => undefined, warn: () => undefined };
