import { AsyncLocalStorage } from 'node:async_hooks';
import type { ConsumingContext, HandlerTable } from '../consuming/record-dispatch';
import type { ConsumedTopic } from '../consuming/retry-topics';
import type { MessageHandler } from '../message-bus.port';
import { deadLetterTopicOf } from '../topic-names';
import type { HandlingOutcome, MessagingMetrics } from './messaging-metrics';

/** What one record's consumption came to, filled in by the wrapped handler and `send`. */
interface Observation {
  sourceTopic: string;
  handled?: { type: string; seconds: number; failed: boolean };
  outcome?: HandlingOutcome;
}

/** A consuming context whose handlers and sends are measured, and how to consume one record through it. */
export interface MeasuredConsuming {
  context: ConsumingContext;
  /** Runs the consumption of one record of `from` (`consumeRecord`), then records what came of it. */
  consume(from: ConsumedTopic, run: () => Promise<void>): Promise<void>;
}

// The record being consumed, for the handler and send wrappers: the in-memory bus consumes several
// partitions of one member at a time, so a field on the member would mix them up.
const current = new AsyncLocalStorage<Observation>();

/**
 * Measures consumption without changing it: `consumeRecord` decides as before, and the outcome is
 * read off what it did (the handler resolved → ok; it threw and the record was sent to a retry
 * topic → retry, to the DLQ → dead-letter). Without metrics, the context is returned as it is.
 */
export function measuredConsuming(
  context: ConsumingContext,
  metrics: MessagingMetrics | undefined,
): MeasuredConsuming {
  if (!metrics) return { context, consume: (_, run) => run() };
  const group = context.groupId;
  const measured: ConsumingContext = {
    ...context,
    handlers: measuredHandlers(context.handlers, group, metrics),
    send: async (topic, record) => {
      await context.send(topic, record);
      const observation = current.getStore();
      if (!observation) return;
      if (topic !== deadLetterTopicOf(observation.sourceTopic)) {
        observation.outcome = 'retry';
        return;
      }
      observation.outcome = 'dead-letter';
      const reason = observation.handled?.failed ? 'handler-failed' : 'invalid-message';
      metrics.deadLettered({ group, topic: observation.sourceTopic, reason });
    },
  };
  return {
    context: measured,
    consume: async (from, run) => {
      const observation: Observation = { sourceTopic: from.sourceTopic };
      await current.run(observation, run);
      const { handled, outcome } = observation;
      // A record whose send failed is consumed again, and counted then; an ignored one has no handler.
      if (handled && outcome)
        metrics.handled({ group, topic: from.sourceTopic, type: handled.type }, outcome, handled.seconds);
    },
  };
}

function measuredHandlers(handlers: HandlerTable, group: string, metrics: MessagingMetrics): HandlerTable {
  return new Map(
    [...handlers].map(([topic, byType]) => [
      topic,
      new Map([...byType].map(([type, handle]) => [type, measuredHandler(handle, group, metrics)])),
    ]),
  );
}

function measuredHandler(handle: MessageHandler, group: string, metrics: MessagingMetrics): MessageHandler {
  return async (message) => {
    const observation = current.getStore();
    const started = performance.now();
    let failed = true;
    metrics.handlerStarted(group);
    try {
      await handle(message);
      failed = false;
      if (observation) observation.outcome = 'ok';
    } finally {
      metrics.handlerFinished(group);
      if (observation)
        observation.handled = { type: message.type, seconds: (performance.now() - started) / 1000, failed };
    }
  };
}
