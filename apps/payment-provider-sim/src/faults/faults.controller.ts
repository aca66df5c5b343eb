import { Body, Controller, Delete, Get, Inject, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract, ZodValidationPipe } from '@platform/http';
import { type FaultSettings, faultSettings } from './fault-settings';
import { Faults } from './faults';

const settingsResponse = {
  status: 200,
  description: 'The faults in force now.',
  body: faultSettings,
  example: { latencyMs: 0, errorRate: 0, outage: false },
};

/** Test-facing knobs, without authentication: the simulator is only ever reachable inside the platform. */
@ApiTags('admin')
@Controller('admin/faults')
export class FaultsController {
  constructor(@Inject(Faults) private readonly faults: Faults) {}

  @Get()
  @ApiContract({
    summary: 'The faults the payment provider simulator injects',
    success: settingsResponse,
    problems: {},
  })
  current(): FaultSettings {
    return this.faults.settings();
  }

  /** Replaces every knob; one left out is off. */
  @Put()
  @ApiContract({
    summary: 'Replaces every fault knob of the simulator; one left out is off',
    body: faultSettings,
    bodyExample: { latencyMs: 0, errorRate: 0.5, outage: false },
    success: settingsResponse,
    problems: { 400: ['validation-failed'] },
  })
  replace(@Body(new ZodValidationPipe(faultSettings)) settings: FaultSettings): FaultSettings {
    return this.faults.replace(settings);
  }

  @Delete()
  @ApiContract({ summary: 'Turns every fault off', success: settingsResponse, problems: {} })
  clear(): FaultSettings {
    return this.faults.clear();
  }
}
