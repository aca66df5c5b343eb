import { OperatorError } from './kafka-client.ts';
import { ceHeaders, positionOf, replayOf, type Replay, type TopicRecord } from './wire.ts';

export type Selection = { all: true } | { id: string };

export interface ReplayPlan {
  /** Parked records to send back, each with its replay, in partition and offset order. */
  toReplay: { record: TopicRecord; replay: Replay }[];
  /** Selected records that the ledger says were replayed before. */
  alreadyReplayed: TopicRecord[];
}

/**
 * Which records a replay sends: the selected ones the ledger (`replayed`: positions) has not seen.
 * Throws, before anything is sent, when `--id` matches no record or a selected record cannot be replayed.
 */
export function planReplay(
  records: TopicRecord[],
  replayed: ReadonlySet<string>,
  selection: Selection,
): ReplayPlan {
  const selected =
    'all' in selection ? records : records.filter((record) => record.headers[ceHeaders.id] === selection.id);
  if ('id' in selection && selected.length === 0)
    throw new OperatorError(`no message with ce_id ${selection.id} in ${records[0]?.topic ?? 'the topic'}`);
  const alreadyReplayed = selected.filter((record) => replayed.has(positionOf(record)));
  const toReplay = selected
    .filter((record) => !replayed.has(positionOf(record)))
    .map((record) => ({ record, replay: replayOf(record) }));
  return { toReplay, alreadyReplayed };
}
