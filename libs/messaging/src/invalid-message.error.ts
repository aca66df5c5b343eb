/** A message that breaks its contract. On produce it is a bug in the caller; on consume it goes to the DLQ. */
export class InvalidMessageError extends Error {
  readonly code = 'MESSAGING.INVALID_MESSAGE';
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidMessageError';
  }
}
