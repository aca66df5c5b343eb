import { adminCredentials } from '../gateway-client.ts';
import type { Scenario } from '../scenario.ts';

const units = 3;
const customers = 10;

export const stockRace: Scenario = {
  name: 'stock-race',
  pattern: 'orchestrated saga with compensation; guarded stock updates',
  page: 'docs/patterns/saga.md',
  summary: `${customers} customers race for the last ${units} units: exactly ${units} orders confirm, the rest cancel OUT_OF_STOCK`,
  async run(gateway, report) {
    const admin = await gateway.signedIn(adminCredentials.email, adminCredentials.password);
    const created = await admin.addProduct('RACE', 'Last units', units);
    const { sku } = created;
    report.did(`admin adds ${sku} with ${units} units: HTTP ${created.status}`, created.traceId);

    const buyers = await Promise.all(
      Array.from({ length: customers }, (_, index) => gateway.newCustomer(`Racer ${index + 1}`)),
    );
    const orders = await Promise.all(
      buyers.map(async (buyer) => ({ buyer, placed: await buyer.placeOrder(sku, 1, 'tok_visa') })),
    );
    const statuses = [...new Set(orders.map(({ placed }) => placed.status))];
    report.did(`${customers} customers order 1 unit each, at once: HTTP ${statuses.join(', ')}`);
    for (const { placed } of orders.slice(0, 3))
      report.saw(`order ${placed.body.orderId}, trace ${placed.traceId}`);

    const outcomes = await Promise.all(
      orders.map(({ buyer, placed }) => buyer.finalStatusOf(placed.body.orderId)),
    );
    const confirmed = outcomes.filter(({ status }) => status === 'CONFIRMED').length;
    const outOfStock = outcomes.filter(({ failureReason }) => failureReason === 'OUT_OF_STOCK').length;
    report.did(`outcomes: ${confirmed} CONFIRMED, ${outOfStock} CANCELLED for OUT_OF_STOCK`);
    report.check(confirmed === units, `exactly ${units} orders confirmed`);
    report.check(
      outOfStock === customers - units,
      `the other ${customers - units} were cancelled for OUT_OF_STOCK`,
    );

    const product = await admin.call<{ available: number }>('GET', `/api/products/${sku}`);
    report.check(
      product.body.available === 0,
      `available = ${units} initial − ${units} sold = 0 (shows ${product.body.available})`,
    );
  },
};
