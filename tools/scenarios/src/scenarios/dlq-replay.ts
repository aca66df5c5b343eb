import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { adminCredentials } from '../gateway-client.ts';
import type { Scenario } from '../scenario.ts';

const dlqTool = join(import.meta.dirname, '../../../dlq/src/cli.ts');

export const dlqReplay: Scenario = {
  name: 'dlq-replay',
  pattern: 'retry topics and dead-letter queue',
  page: 'docs/patterns/retry-topics-and-dlq.md',
  summary:
    'a command that cannot succeed yet is retried, parked in the DLQ, and replayed with npm run dlq once it can',
  needs: 'kafka',
  async run(gateway, report, { kafka }) {
    if (!kafka) throw new Error('needs Kafka');
    const admin = await gateway.signedIn(adminCredentials.email, adminCredentials.password);
    const created = await admin.addProduct('PARK', 'Parked tea', 5);
    const { sku } = created;
    report.did(`admin adds ${sku} with 5 units: HTTP ${created.status}`, created.traceId);

    // Acting as the order service would, out of order: the commit arrives before any reservation.
    const orderId = `scenario-${randomUUID()}`;
    const dlqMarks = await kafka.marks('inventory.commands.v1.dlq');
    const commitId = await kafka.publish(
      'inventory.commands.v1',
      'platform.inventory.commit-stock.v1',
      orderId,
      { orderId },
    );
    report.did(`CommitStock for order ${orderId} sent before its ReserveStock (ce_id ${commitId})`);
    const parked = await kafka.find(
      'inventory.commands.v1.dlq',
      (record) => record.headers['ce_id'] === commitId,
      {
        from: dlqMarks,
      },
    );
    report.saw(
      `inventory retried it (${parked.headers['dlq-attempts']} attempts through inventory.commands.v1.retry.*) and parked it: ` +
        `inventory.commands.v1.dlq ${parked.partition}:${parked.offset}, reason "${parked.headers['dlq-reason']}"`,
    );

    await kafka.publish('inventory.commands.v1', 'platform.inventory.reserve-stock.v1', orderId, {
      orderId,
      items: [{ sku, quantity: 2 }],
    });
    const reservedMarks = await kafka.marks('inventory.events.v1');
    const deadline = Date.now() + 60_000;
    let available = 5;
    while (available !== 3 && Date.now() < deadline) {
      available = (await gateway.call<{ available: number }>('GET', `/api/products/${sku}`)).body.available;
      if (available !== 3) await new Promise((resolve) => setTimeout(resolve, 300));
    }
    report.did(`ReserveStock for the order (2 units) sent now: ${sku} available ${available}`);
    report.check(available === 3, 'the reservation holds 2 of the 5 units');

    const replay = await promisify(execFile)(
      process.execPath,
      [dlqTool, 'replay', 'inventory.commands.v1.dlq', '--id', commitId],
      {
        env: { ...process.env, KAFKA_BROKERS: kafka.brokers },
      },
    );
    report.did(`npm run dlq -- replay inventory.commands.v1.dlq --id ${commitId}`);
    for (const line of replay.stdout.trim().split('\n')) report.saw(line);
    const committed = await kafka
      .find(
        'inventory.events.v1',
        (record) =>
          record.key === orderId && record.headers['ce_type'] === 'platform.inventory.stock-committed.v1',
        { from: reservedMarks },
      )
      .catch(() => undefined);
    report.check(
      committed !== undefined,
      `the replayed CommitStock succeeded: StockCommitted on inventory.events.v1${committed ? ` at ${committed.partition}:${committed.offset}` : ' (none within 60 s)'}`,
    );
    const again = await promisify(execFile)(
      process.execPath,
      [dlqTool, 'replay', 'inventory.commands.v1.dlq', '--id', commitId],
      {
        env: { ...process.env, KAFKA_BROKERS: kafka.brokers },
      },
    );
    report.check(
      /nothing to replay|replayed 0 message/.test(again.stdout),
      `a second replay sends nothing (the tool's ledger): ${again.stdout.trim().split('\n').at(-1)}`,
    );
  },
};
