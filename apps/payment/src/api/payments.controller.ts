import { Controller, Get, Inject, NotFoundException, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  assertOwnerOrAdmin,
  Authenticated,
  authenticationProblems,
  CurrentUser,
  type AuthenticatedUser,
} from '@platform/auth';
import { ApiContract, ZodValidationPipe } from '@platform/http';
import { PAYMENT_STORE, type PaymentStore } from '../store/payment-store.port';
import { type PaymentQuery, paymentQuery } from './payment.query';
import { paymentResponse } from './payment.response';

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
  @ApiContract({
    summary: "An order's payment, to the order's owner or an admin",
    description: "No payment yet, a voided one and another user's all answer the same 404.",
    query: paymentQuery,
    success: { status: 200, description: 'The payment.', body: paymentResponse },
    problems: [authenticationProblems, { 400: ['validation-failed'], 404: ['about:blank'] }],
  })
  async ofOrder(
    @CurrentUser() caller: AuthenticatedUser,
    @Query(new ZodValidationPipe(paymentQuery)) query: PaymentQuery,
  ) {
    const payment = await this.store.find(query.orderId);
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
