import { CallableBy } from '@umg/platform';
import { Controller, Get, Param, Post } from '@nestjs/common';
import { Operator } from '../registry/operator-request';
import { type ConformanceRunView, RunConformanceService } from './run-conformance.service';

/** startConformanceRun, listConformanceRuns. */
@Controller('internal/v1/districts/:districtCode/conformance-runs')
@CallableBy('gateway')
export class ConformanceHttpController {
  constructor(private readonly conformance: RunConformanceService) {}

  @Post()
  start(@Param('districtCode') code: string, @Operator() actor: string): Promise<ConformanceRunView> {
    return this.conformance.run(code, actor);
  }

  @Get()
  list(@Param('districtCode') code: string): Promise<ConformanceRunView[]> {
    return this.conformance.list(code);
  }
}
