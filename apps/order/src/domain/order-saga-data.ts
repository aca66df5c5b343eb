/** What the order saga carries from step to step: enough to send every command without the order. */
export interface OrderSagaData {
  orderId: string;
  userId: string;
  /** The priced lines, as OrderPlaced announces them; ReserveStock takes sku and quantity. */
  items: { sku: string; quantity: number; unitPriceCents: number }[];
  amountCents: number;
  currency: string;
  paymentMethod: string;
  /** Set by PaymentAuthorized: the charge a refund undoes. */
  paymentId?: string;
}
