import { Body, Controller, Delete, Get, HttpCode, Inject, Put } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe, openApiSchemaOf } from '@platform/http';
import { type FaultSettings, faultSettings } from './fault-settings';
import { Faults } from './faults';

/** Test-facing knobs, without authentication: the simulator is only ever reachable inside the platform. */
@ApiTags('admin')
@Controller('admin/faults')
export class FaultsController {
  constructor(@Inject(Faults) private readonly faults: Faults) {}

  @Get()
  current(): FaultSettings {
    return this.faults.settings();
  }

  /** Replaces every knob; one left out is off. */
  @ApiBody({ schema: openApiSchemaOf(faultSettings) })
  @Put()
  @HttpCode(200)
  replace(@Body(new ZodValidationPipe(faultSettings)) settings: FaultSettings): FaultSettings {
    return this.faults.replace(settings);
  }

  @Delete()
  @HttpCode(200)
  clear(): FaultSettings {
    return this.faults.clear();
  }
}
