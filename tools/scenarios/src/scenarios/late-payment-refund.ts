import type { Scenario } from '../scenario.ts';

export const latePaymentRefund: Scenario = {
  name: 'late-payment-refund',
  pattern: 'saga deadline and compensation; payment reconciliation',
  page: 'docs/patterns/saga.md',
  summary:
    'the provider answers after the order gave up: the order ends TIMEOUT, and the late charge is refunded',
  async run(gateway, report) {
    const customer = await gateway.newCustomer();
    const placed = await customer.placeOrder('TEA-GREEN', 1, 'tok_slow');
    report.did(
      `order ${placed.body.orderId} paid with tok_slow (the bank answers after the order's payment deadline)`,
      placed.traceId,
    );
    const final = await customer.finalStatusOf(placed.body.orderId);
    report.saw(`status ${final.status}${final.failureReason ? ` (${final.failureReason})` : ''}`);
    report.check(
      final.status === 'CANCELLED' && final.failureReason === 'TIMEOUT',
      'the saga gave up at its deadline: CANCELLED, TIMEOUT',
    );

    // The charge lands later; the payment service's reconciler learns of it and refunds it.
    const deadline = Date.now() + 90_000;
    let payment = '';
    while (Date.now() < deadline) {
      const answer = await customer.call<{ status: string }>(
        'GET',
        `/api/payments?orderId=${placed.body.orderId}`,
      );
      payment = answer.status === 200 ? answer.body.status : `HTTP ${answer.status}`;
      if (payment === 'REFUNDED') break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    report.did(`the payment of the cancelled order, once the late charge is known: ${payment}`);
    report.check(
      payment === 'REFUNDED',
      'the charge that landed after the deadline was refunded: no money kept for a cancelled order',
    );
  },
};
