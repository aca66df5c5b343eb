import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { StripeError } from './stripe-error';

/** Writes a StripeError in Stripe's shape; anything else falls through to the platform's problem+json filter. */
@Catch(StripeError)
export class StripeErrorFilter implements ExceptionFilter<StripeError> {
  catch(exception: StripeError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    response.status(exception.status).json({ error: exception.body });
  }
}
