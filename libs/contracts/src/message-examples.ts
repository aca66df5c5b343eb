const orderId = '5b1c9a5e-4c55-4d47-9a0e-7d0f6d7f4a11';
const userId = '0f8fad5b-d9cb-469f-a165-70867728950e';

/**
 * One valid payload per message type, and one way to break it: for the contract tests here and for
 * the consumers' tests that feed every message type (valid, and mutated near its schema).
 */
export const messageExamples: Record<
  string,
  { valid: Record<string, unknown>; malformed: Record<string, unknown> }
> = {
  OrderPlaced: {
    valid: {
      orderId,
      userId,
      items: [{ sku: 'SKU-1', quantity: 2, unitPriceCents: 1250 }],
      totalCents: 2500,
      currency: 'EUR',
    },
    malformed: {
      orderId,
      userId,
      items: [{ sku: 'SKU-1', quantity: 0, unitPriceCents: 1250 }],
      totalCents: 2500,
      currency: 'EUR',
    },
  },
  OrderConfirmed: {
    valid: { orderId, userId, paymentId: 'pay-1', totalCents: 2500, currency: 'EUR' },
    malformed: { orderId, userId, paymentId: 'pay-1', totalCents: 25.5, currency: 'EUR' },
  },
  OrderCancelled: {
    valid: { orderId, userId, reason: 'TIMEOUT' },
    malformed: { orderId, userId, reason: 'BORED' },
  },
  ReserveStock: {
    valid: { orderId, items: [{ sku: 'SKU-1', quantity: 2 }] },
    malformed: { orderId, items: [] },
  },
  CommitStock: { valid: { orderId }, malformed: { orderId: '' } },
  ReleaseStock: { valid: { orderId }, malformed: {} },
  StockReserved: {
    valid: { orderId, items: [{ sku: 'SKU-1', quantity: 2 }] },
    malformed: { orderId, items: [{ sku: 'SKU-1' }] },
  },
  StockRejected: {
    valid: { orderId, reason: 'OUT_OF_STOCK', unavailable: [{ sku: 'SKU-1', requested: 3, available: 1 }] },
    malformed: {
      orderId,
      reason: 'OUT_OF_STOCK',
      unavailable: [{ sku: 'SKU-1', requested: 3, available: -1 }],
    },
  },
  StockCommitted: { valid: { orderId }, malformed: { orderId: 42 } },
  StockReleased: { valid: { orderId }, malformed: { orderId: null } },
  ProductChanged: {
    valid: { sku: 'SKU-1', name: 'Teapot', priceCents: 1999, currency: 'EUR', available: 10 },
    malformed: { sku: 'SKU-1', name: 'Teapot', priceCents: 1999, currency: 'euro', available: 10 },
  },
  AuthorizePayment: {
    valid: { orderId, userId, amountCents: 2500, currency: 'EUR', paymentMethod: 'tok_visa' },
    malformed: { orderId, userId, amountCents: 2500, currency: 'EUR' },
  },
  RefundPayment: {
    valid: { orderId, reason: 'TIMEOUT' },
    malformed: { orderId, paymentId: 'pay-1', reason: 'BECAUSE' },
  },
  PaymentAuthorized: {
    valid: { orderId, paymentId: 'pay-1', amountCents: 2500, currency: 'EUR' },
    malformed: { orderId, amountCents: 2500, currency: 'EUR' },
  },
  PaymentDeclined: {
    valid: { orderId, reason: 'CARD_DECLINED' },
    malformed: { orderId, reason: 'card declined' },
  },
  PaymentFailed: {
    valid: { orderId, reason: 'PROVIDER_TIMEOUT', detail: 'no answer in 2 s' },
    malformed: { orderId },
  },
  PaymentRefunded: {
    valid: { orderId, paymentId: 'pay-1', amountCents: 2500, currency: 'EUR' },
    malformed: { orderId, paymentId: 'pay-1', amountCents: '2500', currency: 'EUR' },
  },
  UserRegistered: {
    valid: { userId, email: 'ada@example.com', name: 'Ada' },
    malformed: { userId, email: 'not-an-email', name: 'Ada' },
  },
};
