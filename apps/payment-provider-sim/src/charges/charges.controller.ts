import {
  Body,
  Controller,
  Get,
  Headers,
  Inject,
  Param,
  Post,
  Query,
  Res,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { openApiSchemaOf } from '@platform/http';
import type { Response } from 'express';
import { FaultsInterceptor } from '../faults/faults.interceptor';
import { listOf, sendReply } from '../http-edge/send-reply';
import { StripeError } from '../http-edge/stripe-error';
import { StripeErrorFilter } from '../http-edge/stripe-error.filter';
import { StripeParamsPipe } from '../http-edge/stripe-params.pipe';
import { IdempotentRequests } from '../idempotency/idempotent-requests';
import type { Charge } from './charge';
import { ChargeLedger } from './charge-ledger';
import { CreateCharge } from './create-charge';
import { type CreateChargeRequest, createChargeRequest } from './create-charge.request';
import { metadataFilterOf } from './list-charges.query';

@ApiTags('provider')
@Controller('v1/charges')
@UseInterceptors(FaultsInterceptor)
@UseFilters(StripeErrorFilter)
export class ChargesController {
  constructor(
    @Inject(CreateCharge) private readonly createCharge: CreateCharge,
    @Inject(IdempotentRequests) private readonly idempotency: IdempotentRequests,
    @Inject(ChargeLedger) private readonly ledger: ChargeLedger,
  ) {}

  @ApiBody({ schema: openApiSchemaOf(createChargeRequest) })
  @Post()
  async create(
    @Body(new StripeParamsPipe(createChargeRequest)) body: CreateChargeRequest,
    @Headers('idempotency-key') key: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const reply = await this.idempotency.run('POST /v1/charges', key, body, () =>
      this.createCharge.execute(body),
    );
    sendReply(response, reply);
  }

  /** Every charge made, declined ones included, newest first; `?metadata[orderId]=…` narrows it. */
  @Get()
  list(@Query() query: Record<string, unknown>) {
    return listOf('/v1/charges', this.ledger.listCharges(metadataFilterOf(query)));
  }

  @Get(':id')
  find(@Param('id') id: string): Charge {
    const charge = this.ledger.charge(id);
    if (!charge) throw StripeError.noSuch('charge', 'id', id);
    return charge;
  }
}
