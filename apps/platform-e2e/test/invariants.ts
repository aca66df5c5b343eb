import type { MongoClient } from 'mongodb';
import { topics } from '@platform/contracts';
import { eventually } from '@platform/testing';
// The rules themselves live with `npm run invariants`, which checks a whole running platform; this
// file only scopes them to a suite's shop. tools/invariants/src/rules.ts imports nothing.
// eslint-disable-next-line @nx/enforce-module-boundaries -- a tool's pure rules, shared with the suites
import * as rules from '../../../tools/invariants/src/rules';
import type { Customer } from './api-client';
import type { KafkaWire } from './kafka-wire';
import type { Platform } from './platform';
import { ProviderSimulator } from './provider-simulator';
import type { FinalStatus, PlacedOrder, Shop } from './shop';

/** A stock level as the inventory's ledger records it (its newest entry), or the product's initial stock. */
export type StockLevel = rules.StockLevel;

export interface FinalOrder {
  orderId: string;
  status: FinalStatus;
  failureReason?: string;
  totalCents: number;
}

/** Every dead-letter topic an order's messages could end in. */
export const deadLetterTopics = [
  topics.ordersEvents,
  topics.inventoryCommands,
  topics.inventoryEvents,
  topics.paymentsCommands,
  topics.paymentsEvents,
].map((topic) => `${topic}.dlq`);

/**
 * The invariants of docs/events.md#invariants, checked from the services' own stores and APIs
 * (never their logs) for everything the shop stocked and placed:
 * - every order ends CONFIRMED or CANCELLED;
 * - per sku: available + reserved + sold = initial + restocked, available ≥ 0, nothing left
 *   reserved once every order is final, sold = what the confirmed orders bought, and the public
 *   product view shows the ledger's `available`;
 * - per order: at most one kept (succeeded, not refunded) charge at the provider, exactly one for a
 *   CONFIRMED order and none for a CANCELLED one; the payment API agrees;
 * - one notification per order outcome, of the outcome's type, however often it was delivered;
 * - no message of these orders parked in a dead-letter topic.
 */
export class InvariantChecker {
  private readonly provider: ProviderSimulator;

  constructor(
    private readonly platform: Platform,
    private readonly shop: Shop,
    private readonly mongo: MongoClient,
    private readonly wire: KafkaWire,
    /** The topics the wire records: counted only once everything on them was recorded. */
    private readonly recordedTopics: string[],
  ) {
    this.provider = new ProviderSimulator(platform.providerUrl);
  }

  /** Waits until every order is final, then until every invariant holds; fails naming each violation. */
  async check(timeoutMs = 90_000): Promise<Map<string, FinalOrder>> {
    const finals = await this.finalOrders(timeoutMs);
    const lastViolations = { current: [] as string[] };
    try {
      await eventually(
        async () => {
          lastViolations.current = await this.violations(finals);
          return lastViolations.current.length === 0 ? true : undefined;
        },
        timeoutMs,
        250,
      );
    } catch {
      throw new Error(`invariants violated:\n  ${lastViolations.current.join('\n  ')}`);
    }
    // Duplicates are judged only once everything is delivered: a second copy could still be on its way.
    await this.settled(timeoutMs);
    const afterwards = await this.violations(finals);
    if (afterwards.length > 0) throw new Error(`invariants violated:\n  ${afterwards.join('\n  ')}`);
    return finals;
  }

  /** Every order's final state, waiting for each to leave PENDING and the steps between. */
  async finalOrders(timeoutMs = 90_000): Promise<Map<string, FinalOrder>> {
    const finals = new Map<string, FinalOrder>();
    const stuck = new Set<string>();
    try {
      await eventually(
        async () => {
          stuck.clear();
          for (const order of this.shop.orders) {
            if (finals.has(order.orderId)) continue;
            const answer = await this.shop.order(order.orderId);
            if (answer.status === 200 && ['CONFIRMED', 'CANCELLED'].includes(answer.body.status))
              finals.set(order.orderId, answer.body as FinalOrder);
            else stuck.add(`${order.orderId}: ${answer.status} ${answer.body?.status ?? answer.text}`);
          }
          return stuck.size === 0 ? true : undefined;
        },
        timeoutMs,
        250,
      );
    } catch {
      throw new Error(`orders not final:\n  ${[...stuck].join('\n  ')}`);
    }
    return finals;
  }

  async stockOf(sku: string): Promise<StockLevel | undefined> {
    const inventory = this.mongo.db(this.platform.stores.inventoryDatabase);
    const stock = await inventory.collection<StockLevel & { _id: string }>('stock').findOne({ _id: sku });
    if (stock) {
      const { available, reserved, sold, initial, restocked } = stock;
      return { available, reserved, sold, initial, restocked };
    }
    const product = await inventory
      .collection<{ _id: string; initialStock: number }>('products')
      .findOne({ _id: sku });
    return product
      ? { available: product.initialStock, reserved: 0, sold: 0, initial: product.initialStock, restocked: 0 }
      : undefined;
  }

  private async violations(finals: Map<string, FinalOrder>): Promise<string[]> {
    return [
      ...(await this.stockViolations(finals)),
      ...(await this.chargeViolations(finals)),
      ...(await this.notificationViolations(finals)),
      ...this.deadLetterViolations(),
    ];
  }

  private async stockViolations(finals: Map<string, FinalOrder>): Promise<string[]> {
    const found: string[] = [];
    const orders = this.shop.orders.map((order) => factsOf(order, finals.get(order.orderId)));
    for (const product of this.shop.products.values()) {
      const { sku } = product;
      const level = await this.stockOf(sku);
      if (!level) {
        found.push(`${sku}: unknown to the inventory`);
        continue;
      }
      const stocks = [{ sku, level }];
      found.push(
        ...described([
          ...rules.unconservedStock(stocks),
          ...rules.negativeStock(stocks),
          ...rules.stockOrderMismatches(stocks, orders),
        ]),
      );
      const stock = JSON.stringify(level);
      if (level.initial !== product.initialStock || level.restocked !== product.restocked)
        found.push(`${sku}: initial/restocked differ from what was stocked ${stock}`);
      const shown = await this.shop.available(sku);
      if (shown !== level.available)
        found.push(`${sku}: the product view shows ${shown}, the ledger ${stock}`);
    }
    return found;
  }

  private async chargeViolations(finals: Map<string, FinalOrder>): Promise<string[]> {
    const found: string[] = [];
    for (const order of this.shop.orders) {
      const final = finals.get(order.orderId);
      if (!final) continue;
      const charges = (await this.provider.chargesOf(order.orderId)).map((charge) => ({
        ...charge,
        orderId: order.orderId,
      }));
      found.push(...described(rules.providerChargeViolations([factsOf(order, final)], charges)));
      if (final.status === 'CONFIRMED') {
        const payment = await this.shop.api.call('GET', `/api/payments?orderId=${order.orderId}`, {
          token: order.customer.token,
        });
        if (payment.status !== 200 || payment.body.status !== 'AUTHORIZED')
          found.push(
            `${order.orderId} (${final.status}): its payment reads ${payment.status} ${payment.text}`,
          );
      }
    }
    return found;
  }

  private async notificationViolations(finals: Map<string, FinalOrder>): Promise<string[]> {
    const found: string[] = [];
    const byCustomer = new Map<string, { customer: Customer; orders: PlacedOrder[] }>();
    for (const order of this.shop.orders) {
      const entry = byCustomer.get(order.customer.id) ?? { customer: order.customer, orders: [] };
      entry.orders.push(order);
      byCustomer.set(order.customer.id, entry);
    }
    for (const { customer, orders } of byCustomer.values()) {
      const listed = await this.shop.allNotificationsOf(customer);
      if ('status' in listed) {
        found.push(`notifications of ${customer.id}: ${listed.status}`);
        continue;
      }
      const items = listed.items as { id: string; type: string; orderId: string | null }[];
      const finalOrders = orders.flatMap((order) => {
        const final = finals.get(order.orderId);
        return final ? [factsOf(order, final)] : [];
      });
      // Only the notifications of these orders: the suite may have placed others for the customer.
      const mine = new Set(finalOrders.map((order) => order.orderId));
      const notifications = items.filter((item) => item.orderId !== null && mine.has(item.orderId));
      found.push(...described(rules.notificationViolations(finalOrders, notifications)));
    }
    return found;
  }

  private deadLetterViolations(): string[] {
    return this.shop.orders.flatMap((order) =>
      deadLetterTopics.flatMap((topic) =>
        this.wire
          .messagesOf(topic, order.orderId)
          .map(
            (parked) =>
              `${order.orderId}: ${parked.headers['ce_type']} parked in ${topic}: ${parked.headers['dlq-reason']}`,
          ),
      ),
    );
  }

  /**
   * Waits until nothing is on its way: every placed order's outbox is published, every consumer
   * group of the run has handled everything on the topics it reads, and the recorder has seen
   * every message, twice in a row with nothing new in between.
   */
  async settled(timeoutMs = 90_000): Promise<void> {
    let seen = -1;
    await eventually(
      async () => {
        const before = this.wire.recordedCount;
        if (!(await this.quiet())) return undefined;
        const stable = before === seen && this.wire.recordedCount === before;
        seen = before;
        return stable ? true : undefined;
      },
      timeoutMs,
      250,
    );
  }

  private async quiet(): Promise<boolean> {
    const orders = this.mongo
      .db(this.platform.stores.orderDatabase)
      .collection<{ _id: string; outbox?: unknown[] }>('orders');
    const unpublished = await orders.countDocuments({
      _id: { $in: this.shop.orders.map((order) => order.orderId) },
      'outbox.0': { $exists: true },
    });
    if (unpublished > 0) return false;
    const { groups } = this.platform.stores;
    const reads: [string, string][] = [
      [groups.inventory, topics.inventoryCommands],
      [groups.payment, topics.paymentsCommands],
      [groups.order, topics.inventoryEvents],
      [groups.order, topics.paymentsEvents],
      [groups.notification, topics.ordersEvents],
    ];
    for (const [group, topic] of reads) if ((await this.wire.lagOf(group, topic)) > 0) return false;
    return this.wire.recordedAll(this.recordedTopics);
  }
}

/** A placed order as the rules see it: PENDING until the suite saw its final state. */
function factsOf(order: PlacedOrder, final: FinalOrder | undefined): rules.OrderFacts {
  return {
    orderId: order.orderId,
    status: final?.status ?? 'PENDING',
    items: order.items,
    totalCents: final?.totalCents ?? 0,
    failureReason: final?.failureReason ?? null,
  };
}

const described = (violations: rules.Violation[]) =>
  violations.map((violation) => `${violation.id}: ${violation.detail}`);
