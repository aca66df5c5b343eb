import { randomUUID } from 'node:crypto';
import { eventually } from '@platform/testing';
import { ApiClient, adminCredentials, type ApiAnswer, type Customer } from './api-client';

export interface OrderLine {
  sku: string;
  quantity: number;
}

/** An order the shop placed (202), which the invariants then follow to its end. */
export interface PlacedOrder {
  orderId: string;
  customer: Customer;
  items: OrderLine[];
  paymentMethod: string;
  answer: ApiAnswer;
}

export interface StockedProduct {
  sku: string;
  priceCents: number;
  initialStock: number;
  restocked: number;
}

export type FinalStatus = 'CONFIRMED' | 'CANCELLED';
const finalStatuses = ['CONFIRMED', 'CANCELLED', 'COMPENSATION_FAILED'];

/**
 * The platform's public API as a shop's clients use it, through the gateway. It remembers the
 * products it stocked and the orders it placed, so the invariant checker knows what to account for.
 */
export class Shop {
  readonly api: ApiClient;
  readonly products = new Map<string, StockedProduct>();
  readonly orders: PlacedOrder[] = [];
  private adminToken: string | undefined;

  constructor(
    gatewayUrl: string,
    private readonly run: string,
  ) {
    this.api = new ApiClient(gatewayUrl);
  }

  async admin(): Promise<string> {
    this.adminToken ??= await this.api.login(adminCredentials.email, adminCredentials.password);
    return this.adminToken;
  }

  newCustomer(): Promise<Customer> {
    return this.api.newCustomer();
  }

  /** A new product of this run with `initialStock` units. */
  async stockedProduct(initialStock: number, priceCents = 1250): Promise<StockedProduct> {
    const sku = `E2E-${this.run}-${randomUUID().slice(0, 8)}`.toUpperCase();
    const created = await this.api.call('POST', '/api/products', {
      token: await this.admin(),
      body: { sku, name: `Widget ${sku}`, priceCents, initialStock },
    });
    if (created.status !== 201)
      throw new Error(`product creation answered ${created.status}: ${created.text}`);
    const product = { sku, priceCents, initialStock, restocked: 0 };
    this.products.set(sku, product);
    return product;
  }

  /** POST /api/orders as `customer`; an accepted order is remembered. */
  async placeOrder(
    customer: Customer,
    items: OrderLine[],
    options: { paymentMethod?: string; idempotencyKey?: string | null; body?: unknown } = {},
  ): Promise<ApiAnswer> {
    const paymentMethod = options.paymentMethod ?? 'tok_visa';
    const key = options.idempotencyKey === undefined ? randomUUID() : options.idempotencyKey;
    const answer = await this.api.call('POST', '/api/orders', {
      token: customer.token,
      body: options.body ?? { items, paymentMethod },
      ...(key === null ? {} : { headers: { 'idempotency-key': key } }),
    });
    const orderId = answer.body?.orderId;
    if (answer.status === 202 && !this.orders.some((order) => order.orderId === orderId))
      this.orders.push({ orderId, customer, items, paymentMethod, answer });
    return answer;
  }

  /** Places an order that must be accepted; its id. */
  async acceptedOrder(customer: Customer, items: OrderLine[], paymentMethod = 'tok_visa'): Promise<string> {
    const answer = await this.placeOrder(customer, items, { paymentMethod });
    if (answer.status !== 202) throw new Error(`POST /api/orders answered ${answer.status}: ${answer.text}`);
    return answer.body.orderId as string;
  }

  /** The order as an admin sees it. */
  async order(orderId: string): Promise<ApiAnswer> {
    return this.api.call('GET', `/api/orders/${orderId}`, { token: await this.admin() });
  }

  /** The order once it has ended (CONFIRMED, CANCELLED, or parked in COMPENSATION_FAILED). */
  async finalOrder(orderId: string, timeoutMs = 60_000): Promise<ApiAnswer['body']> {
    return eventually(
      async () => {
        const answer = await this.order(orderId);
        return answer.status === 200 && finalStatuses.includes(answer.body.status) ? answer.body : undefined;
      },
      timeoutMs,
      100,
    );
  }

  async available(sku: string): Promise<number> {
    const answer = await this.api.call('GET', `/api/products/${sku}`);
    if (answer.status !== 200) throw new Error(`GET /api/products/${sku} answered ${answer.status}`);
    return answer.body.available as number;
  }

  notificationsOf(customer: Customer): Promise<ApiAnswer> {
    return this.api.call('GET', '/api/notifications?limit=100', { token: customer.token });
  }

  /** Every notification of the customer, page after page (the answer of the first page that is not 200). */
  async allNotificationsOf(customer: Customer): Promise<{ items: unknown[] } | ApiAnswer> {
    const items: unknown[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page = await this.api.call('GET', `/api/notifications?limit=100${query}`, {
        token: customer.token,
      });
      if (page.status !== 200) return page;
      items.push(...(page.body.items as unknown[]));
      cursor = page.body.nextCursor as string | null;
    } while (cursor !== null);
    return { items };
  }
}
