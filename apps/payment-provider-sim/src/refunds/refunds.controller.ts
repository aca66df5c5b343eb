import {
  Body,
  Controller,
  Get,
  Headers,
  Inject,
  Post,
  Query,
  Res,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { openApiSchemaOf } from '@platform/http';
import type { Response } from 'express';
import { ChargeLedger } from '../charges/charge-ledger';
import { FaultsInterceptor } from '../faults/faults.interceptor';
import { listOf, sendReply } from '../http-edge/send-reply';
import { StripeErrorFilter } from '../http-edge/stripe-error.filter';
import { StripeParamsPipe } from '../http-edge/stripe-params.pipe';
import { IdempotentRequests } from '../idempotency/idempotent-requests';
import { CreateRefund } from './create-refund';
import { type CreateRefundRequest, createRefundRequest } from './create-refund.request';

@ApiTags('provider')
@Controller('v1/refunds')
@UseInterceptors(FaultsInterceptor)
@UseFilters(StripeErrorFilter)
export class RefundsController {
  constructor(
    @Inject(CreateRefund) private readonly createRefund: CreateRefund,
    @Inject(IdempotentRequests) private readonly idempotency: IdempotentRequests,
    @Inject(ChargeLedger) private readonly ledger: ChargeLedger,
  ) {}

  @ApiBody({ schema: openApiSchemaOf(createRefundRequest) })
  @Post()
  async create(
    @Body(new StripeParamsPipe(createRefundRequest)) body: CreateRefundRequest,
    @Headers('idempotency-key') key: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const reply = await this.idempotency.run('POST /v1/refunds', key, body, () =>
      this.createRefund.execute(body),
    );
    sendReply(response, reply);
  }

  /** Every refund made, newest first; `?charge=ch_…` narrows it to one charge. */
  @Get()
  list(@Query('charge') charge: string | undefined) {
    return listOf('/v1/refunds', this.ledger.listRefunds(typeof charge === 'string' ? charge : undefined));
  }
}
