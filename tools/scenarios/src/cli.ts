/**
 * `npm run scenario -- <name>|all|list [--gateway URL] [--kafka BROKERS] [--order-url URL]
 * [--trace-url TEMPLATE]`: shows one pattern at work on a running platform (npm start, the local
 * profile or compose), through its public API; those marked [kafka] also write to its topics, and
 * [process] restarts its order service (the local profile).
 * Each prints what it did with the trace of each step, what happened, and the invariants after it;
 * exits 1 when one does not hold.
 */
import { GatewayClient } from './gateway-client.ts';
import { KafkaTap } from './kafka-tap.ts';
import { scenarios } from './catalogue.ts';
import { Report } from './scenario.ts';

function option(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const [name = 'list'] = argv.filter(
    (arg, index) => !arg.startsWith('--') && !argv[index - 1]?.startsWith('--'),
  );
  if (name === 'list') {
    console.log(
      'scenarios (npm run scenario -- <name>|all [--gateway http://127.0.0.1:8080] [--kafka 127.0.0.1:9092] [--order-url http://127.0.0.1:3002]):',
    );
    for (const scenario of scenarios)
      console.log(
        `  ${scenario.name.padEnd(20)} ${scenario.summary}${scenario.needs ? ` [${scenario.needs}]` : ''}`,
      );
    return 0;
  }
  const chosen = name === 'all' ? scenarios : scenarios.filter((scenario) => scenario.name === name);
  if (chosen.length === 0) {
    console.error(`scenario: no scenario named ${name}; npm run scenario -- list`);
    return 2;
  }
  const gatewayUrl = option(argv, '--gateway') ?? process.env['GATEWAY_URL'] ?? 'http://127.0.0.1:8080';
  const traceUrl = option(argv, '--trace-url') ?? process.env['TRACE_VIEW_URL'];
  const traceLink = (traceId: string) =>
    `trace ${traceUrl ? traceUrl.replace('{traceId}', traceId) : traceId}`;
  const gateway = new GatewayClient(gatewayUrl);
  const brokers = option(argv, '--kafka') ?? process.env['KAFKA_BROKERS'];
  const kafka = brokers ? new KafkaTap(brokers) : undefined;
  await kafka?.connect();
  const orderUrl = option(argv, '--order-url');
  if (!traceUrl)
    console.log(`to see a trace: the storefront's "Show trace", or GET ${gatewayUrl}/api/traces/<id>`);
  let failed = 0;
  for (const scenario of chosen) {
    console.log(
      `\nscenario ${scenario.name}: ${scenario.summary}\n  pattern: ${scenario.pattern} (${scenario.page})`,
    );
    const missing =
      scenario.needs === 'kafka' && !kafka
        ? 'it writes to Kafka itself: against the local profile, add --kafka 127.0.0.1:9092'
        : scenario.needs === 'process' && !orderUrl
          ? 'it restarts the order service: against the local profile, add --order-url http://127.0.0.1:3002'
          : undefined;
    if (missing) {
      console.log(`  skipped: ${missing}`);
      if (name !== 'all') failed += 1;
      continue;
    }
    const report = new Report((line) => console.log(line), traceLink);
    try {
      await scenario.run(gateway, report, { ...(kafka && { kafka }), ...(orderUrl && { orderUrl }) });
    } catch (error) {
      report.check(
        false,
        `the scenario could not finish: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    console.log(`  result: ${report.ok ? 'ok' : 'FAILED'}`);
    if (!report.ok) failed += 1;
  }
  await kafka?.close();
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
