import { Controller, Get, Inject, NotFoundException, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { assertOwnerOrAdmin, Authenticated, CurrentUser, type AuthenticatedUser } from '@platform/auth';
import { ProblemException } from '@platform/http';
import { PAYMENT_STORE, type PaymentStore } from '../store/payment-store.port';

const paymentQuery = z.object({ orderId: z.string().min(1).max(128) });

@ApiTags('payments')
@Controller('api/payments')
export class PaymentsController {
  constructor(@Inject(PAYMENT_STORE) private readonly store: PaymentStore) {}

  /**
   * The order's payment, to its owner or an admin. A payment whose charge is still in doubt shows
   * as PENDING. A VOIDED payment (refunded before it was ever authorized) is no payment: 404.
   */
  @Get()
  @Authenticated()
  @ApiQuery({ name: 'orderId', required: true })
  async ofOrder(@CurrentUser() caller: AuthenticatedUser, @Query() query: unknown) {
    const parsed = paymentQuery.safeParse(query ?? {});
    if (!parsed.success)
      throw new ProblemException({
        status: 400,
        type: 'validation-failed',
        detail: 'The query string is not valid.',
        extensions: {
          errors: parsed.error.issues.map((issue) => ({
            field: issue.path.join('.'),
            message: issue.message,
          })),
        },
      });
    const payment = await this.store.find(parsed.data.orderId);
    if (!payment || payment.status === 'VOIDED' || payment.userId === null) throw new NotFoundException();
    assertOwnerOrAdmin(caller, payment.userId);
    return {
      paymentId: payment.paymentId,
      orderId: payment.orderId,
      status: payment.status,
      amountCents: payment.amountCents,
      currency: payment.currency,
      createdAt: payment.createdAt.toISOString(),
    };
  }
}
