/** Refusals of a policy, typed so that callers can map them (503, 504) without reading messages. */
export abstract class ResilienceError extends Error {
  constructor(
    /** The name of the protected dependency, as given to the policy. */
    readonly policyName: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The call did not finish within the timeout; its signal was aborted with this error. */
export class TimeoutError extends ResilienceError {
  constructor(
    policyName: string,
    readonly timeoutMs: number,
  ) {
    super(policyName, `${policyName} did not answer within ${timeoutMs} ms`);
  }
}

/** The circuit is open: the call was refused without being made. */
export class CircuitOpenError extends ResilienceError {
  constructor(
    policyName: string,
    /** How long until the circuit half-opens and lets a trial call through. */
    readonly retryAfterMs: number,
  ) {
    super(policyName, `circuit of ${policyName} is open`);
  }
}

/** Every slot and every queue place is taken: the call was refused at once. */
export class BulkheadRejectedError extends ResilienceError {
  constructor(policyName: string) {
    super(policyName, `bulkhead of ${policyName} is full`);
  }
}
