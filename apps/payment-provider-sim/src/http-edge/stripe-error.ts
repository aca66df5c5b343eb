/** The `error` object of a Stripe error response, as a Stripe client reads it. */
export interface StripeErrorBody {
  type: 'card_error' | 'invalid_request_error' | 'idempotency_error' | 'api_error';
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  /** The failed charge a card error refers to. */
  charge?: string;
}

/**
 * A refusal of a `/v1` call, written as Stripe writes it (`{ "error": { ... } }`) rather than as
 * problem+json, so the payment service talks to the simulator as it would to Stripe.
 */
export class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
  }

  static invalidRequest(
    status: number,
    code: string,
    param: string | undefined,
    message: string,
  ): StripeError {
    return new StripeError(status, {
      type: 'invalid_request_error',
      code,
      ...(param ? { param } : {}),
      message,
    });
  }

  static noSuch(resource: 'charge' | 'token', param: string, id: string): StripeError {
    return StripeError.invalidRequest(
      resource === 'charge' ? 404 : 400,
      'resource_missing',
      param,
      `No such ${resource}: '${id}'`,
    );
  }
}
