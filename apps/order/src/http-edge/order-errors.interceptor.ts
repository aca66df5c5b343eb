import { notProcessedHeader } from '@platform/resilience';
import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  NotFoundException,
} from '@nestjs/common';
import { ProblemException } from '@platform/http';
import { type Observable, catchError, throwError } from 'rxjs';
import {
  InvalidCursorError,
  MixedCurrenciesError,
  OrderError,
  OrderNotFoundError,
  OrderTotalTooLargeError,
  OrdersBacklogFullError,
  PricesUnavailableError,
  UnknownSkusError,
} from '../domain/errors';

/** The one place where the service's errors become HTTP problems; anything else is a 500 that shows nothing. */
export function problemOf(error: OrderError): Error {
  // The very 404 that assertOwnerOrAdmin gives for another user's order: the two cannot be told apart.
  if (error instanceof OrderNotFoundError) return new NotFoundException();
  if (error instanceof UnknownSkusError)
    return new ProblemException({
      status: 400,
      type: 'unknown-sku',
      detail: error.message,
      extensions: { skus: error.skus },
    });
  if (error instanceof MixedCurrenciesError)
    return new ProblemException({ status: 400, type: 'mixed-currencies', detail: error.message });
  if (error instanceof OrderTotalTooLargeError)
    return new ProblemException({
      status: 422,
      type: 'order-total-too-large',
      detail: error.message,
      extensions: { maxTotalCents: error.maxTotalCents },
    });
  if (error instanceof InvalidCursorError)
    return new ProblemException({ status: 400, type: 'invalid-cursor', detail: error.message });
  if (error instanceof OrdersBacklogFullError)
    return new ProblemException({
      status: 503,
      type: 'overloaded',
      detail: error.message,
      // Nothing was done: a caller's breaker does not count it, and another instance may be asked.
      headers: { 'Retry-After': String(error.retryAfterSeconds), [notProcessedHeader]: 'overloaded' },
    });
  if (error instanceof PricesUnavailableError)
    return new ProblemException({
      status: 503,
      type: 'prices-unavailable',
      detail: error.message,
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
    });
  return error;
}

@Injectable()
export class OrderErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          throwError(() => (error instanceof OrderError ? problemOf(error) : error)),
        ),
      );
  }
}
