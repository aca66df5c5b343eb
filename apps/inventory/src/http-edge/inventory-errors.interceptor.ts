import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ProblemException } from '@platform/http';
import { type Observable, catchError, throwError } from 'rxjs';
import {
  DuplicateSkuError,
  InvalidCursorError,
  InventoryError,
  ProductNotFoundError,
  StockContentionError,
} from '../domain/errors';

/** The one place where the service's errors become HTTP problems; anything else is a 500 that shows nothing. */
export function problemOf(error: InventoryError): ProblemException | InventoryError {
  if (error instanceof ProductNotFoundError)
    return new ProblemException({ status: 404, type: 'product-not-found', detail: error.message });
  if (error instanceof DuplicateSkuError)
    return new ProblemException({ status: 409, type: 'duplicate-sku', detail: error.message });
  if (error instanceof InvalidCursorError)
    return new ProblemException({ status: 400, type: 'invalid-cursor', detail: error.message });
  if (error instanceof StockContentionError)
    return new ProblemException({
      status: 503,
      type: 'stock-contention',
      detail: 'The stock of this product is changing too fast right now; try again.',
      headers: { 'Retry-After': '1' },
    });
  return error;
}

@Injectable()
export class InventoryErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          throwError(() => (error instanceof InventoryError ? problemOf(error) : error)),
        ),
      );
  }
}
