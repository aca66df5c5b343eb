/** A product's current price, as the catalogue states it. */
export interface ProductPrice {
  sku: string;
  priceCents: number;
  currency: string;
}

/** Where an order's prices come from when it is placed. */
export interface PriceList {
  /**
   * The price of each sku, by sku.
   * @throws UnknownSkusError naming every sku the catalogue does not know
   * @throws PricesUnavailableError when the catalogue cannot be asked right now
   */
  pricesOf(skus: readonly string[]): Promise<Map<string, ProductPrice>>;
  close(): Promise<void>;
}
