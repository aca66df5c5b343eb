import { adminCredentials, type GatewayClient } from '../gateway-client.ts';
import type { Scenario } from '../scenario.ts';

const faultsPath = '/api/admin/payment-provider/faults';

/**
 * How many charge calls the payment service made for the order, read from its trace once its
 * payment step is there: the calls are the payment service's own client spans, which end before
 * that step's span and so are exported with it or before it.
 */
async function providerCallsOf(customer: GatewayClient, traceId: string): Promise<number> {
  const spans = await customer.traceOf(traceId, (all) =>
    all.some(({ service, name }) => service === 'payment' && name.includes('authorize-payment')),
  );
  return spans.filter(({ service, name }) => service === 'payment' && /^POST .*\/v1\/charges$/.test(name))
    .length;
}

export const breaker: Scenario = {
  name: 'breaker',
  pattern: 'circuit breaker with timeout and retry',
  page: 'docs/patterns/circuit-breaker.md',
  summary:
    'the payment provider goes down: the breaker opens and payments fail fast without calling it, then it closes once the provider is back',
  async run(gateway, report) {
    const admin = await gateway.signedIn(adminCredentials.email, adminCredentials.password);
    const customer = await gateway.newCustomer();
    const down = await admin.call('PUT', faultsPath, { outage: true });
    report.did(`admin takes the payment provider down: HTTP ${down.status}`, down.traceId);
    try {
      let open = false;
      for (let attempt = 1; attempt <= 12 && !open; attempt += 1) {
        const placed = await customer.placeOrder('TEA-GREEN', 1, 'tok_visa');
        const final = await customer.finalStatusOf(placed.body.orderId);
        const calls = await providerCallsOf(customer, placed.traceId);
        report.did(
          `order ${attempt}: ${final.status} (${final.failureReason}), provider called ${calls} time(s)`,
          placed.traceId,
        );
        open = calls === 0;
      }
      report.check(open, 'the breaker opened: a payment failed at once, without calling the provider');
    } finally {
      const up = await admin.call('DELETE', faultsPath);
      report.did(`admin brings the provider back: HTTP ${up.status}`, up.traceId);
    }
    // Open, the breaker lets one trial call through after its reset time; a success closes it.
    const started = Date.now();
    let recovered = false;
    while (!recovered && Date.now() - started < 90_000) {
      const placed = await customer.placeOrder('TEA-GREEN', 1, 'tok_visa');
      recovered = (await customer.finalStatusOf(placed.body.orderId)).status === 'CONFIRMED';
      if (recovered)
        report.did(
          `an order confirmed ${Math.round((Date.now() - started) / 1000)} s after the provider came back`,
          placed.traceId,
        );
      else await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    report.check(recovered, 'the breaker closed again once the provider answered');
  },
};
