/** Failures a caller can act on; each has a stable code, and the HTTP edge maps each to one problem. */
export abstract class InventoryError extends Error {
  abstract readonly code: string;
}

export class ProductNotFoundError extends InventoryError {
  readonly code = 'INVENTORY.PRODUCT_NOT_FOUND';
  constructor(readonly sku: string) {
    super(`No product has the sku ${sku}.`);
  }
}

export class DuplicateSkuError extends InventoryError {
  readonly code = 'INVENTORY.DUPLICATE_SKU';
  constructor(readonly sku: string) {
    super(`A product with the sku ${sku} already exists.`);
  }
}

export class InvalidCursorError extends InventoryError {
  readonly code = 'INVENTORY.INVALID_CURSOR';
  constructor() {
    super('The cursor is not one this service issued.');
  }
}

/** A reservation asks for more than is available; the stock is left as it was. */
export class InsufficientStockError extends InventoryError {
  readonly code = 'INVENTORY.INSUFFICIENT_STOCK';
  constructor(readonly available: number) {
    super(`only ${available} available`);
  }
}

/** A change would break stock conservation or make a count negative: a bug, never applied. */
export class StockInvariantError extends InventoryError {
  readonly code = 'INVENTORY.STOCK_INVARIANT';
}

/**
 * CommitStock arrived before its order's ReserveStock was decided. Transient: thrown so the message
 * comes back through the retry topics, by which time the reservation usually exists.
 */
export class ReservationNotDecidedError extends InventoryError {
  readonly code = 'INVENTORY.RESERVATION_NOT_DECIDED';
  constructor(readonly orderId: string) {
    super(`order ${orderId} has no stock reservation decided yet`);
  }
}

/** CommitStock for an order whose stock was rejected or released: it can never succeed, so it ends in the DLQ. */
export class ReservationNotCommittableError extends InventoryError {
  readonly code = 'INVENTORY.RESERVATION_NOT_COMMITTABLE';
  constructor(
    readonly orderId: string,
    readonly state: string,
  ) {
    super(`order ${orderId} cannot commit its stock: the reservation is ${state}`);
  }
}

/** Other writers kept changing a sku's stock first; the message (or the request) is retried later. */
export class StockContentionError extends InventoryError {
  readonly code = 'INVENTORY.STOCK_CONTENTION';
  constructor(readonly sku: string) {
    super(`gave up changing the stock of ${sku} after repeated concurrent writes`);
  }
}
