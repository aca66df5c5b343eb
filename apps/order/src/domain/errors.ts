/** Failures a caller can act on; each has a stable code, and the HTTP edge maps each to one problem. */
export abstract class OrderError extends Error {
  abstract readonly code: string;
}

/** No such order, or one the caller may not see: the same answer, so existence is never revealed. */
export class OrderNotFoundError extends OrderError {
  readonly code = 'ORDER.NOT_FOUND';
  constructor(readonly orderId: string) {
    super(`No order ${orderId}.`);
  }
}

/** Skus the catalogue does not know: the order is not placed. */
export class UnknownSkusError extends OrderError {
  readonly code = 'ORDER.UNKNOWN_SKU';
  constructor(readonly skus: string[]) {
    super(`Unknown sku${skus.length > 1 ? 's' : ''}: ${skus.join(', ')}.`);
  }
}

/** One order is charged in one currency; products priced in several cannot be ordered together. */
export class MixedCurrenciesError extends OrderError {
  readonly code = 'ORDER.MIXED_CURRENCIES';
  constructor(readonly currencies: string[]) {
    super(`The products are priced in several currencies (${currencies.join(', ')}); order them separately.`);
  }
}

/** The total would be beyond what the platform charges in one order (and what can be counted exactly). */
export class OrderTotalTooLargeError extends OrderError {
  readonly code = 'ORDER.TOTAL_TOO_LARGE';
  constructor(readonly maxTotalCents: number) {
    super(`The order total would be above ${maxTotalCents} cents; order less.`);
  }
}

/** Prices could not be read (inventory down, failing or its breaker open): nothing is placed, retry later. */
export class PricesUnavailableError extends OrderError {
  readonly code = 'ORDER.PRICES_UNAVAILABLE';
  constructor(readonly retryAfterSeconds: number) {
    super('Prices cannot be read right now; try again later.');
  }
}

/** Too many orders are unfinished to take one more in time: nothing is placed, retry later. */
export class OrdersBacklogFullError extends OrderError {
  readonly code = 'ORDER.OVERLOADED';
  readonly retryAfterSeconds = 1;
  constructor() {
    super('Too many orders are being processed; try again in a moment.');
  }
}

export class InvalidCursorError extends OrderError {
  readonly code = 'ORDER.INVALID_CURSOR';
  constructor() {
    super('The cursor is not one this service issued.');
  }
}
