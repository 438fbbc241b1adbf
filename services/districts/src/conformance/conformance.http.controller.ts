import { CallableBy } from '@umg/platform';
import { Controller, Get, Param, ParseIntPipe, Post } from '@nestjs/common';
import { Operator } from '../operator-request';
import { type ConformanceRunView, RunConformanceService } from './run-conformance.service';

/** startConformanceRun, listConformanceRuns, getConformanceRun. */
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

  @Get(':runId')
  get(@Param('districtCode') code: string, @Param('runId', ParseIntPipe) runId: number): Promise<ConformanceRunView> {
    return this.conformance.get(code, runId);
  }
}
