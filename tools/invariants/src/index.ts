/** The checker as a library, for suites that check a platform they started (the fault suite). */
export {
  checkInvariants,
  localConnections,
  type Connections,
  type PlatformStores,
} from './check-invariants.ts';
export { formatReport } from './format.ts';
export {
  exitCodeOf,
  invariantIds,
  type InvariantId,
  type InvariantReport,
  type InvariantResult,
} from './report.ts';
export type { Violation } from './rules.ts';
