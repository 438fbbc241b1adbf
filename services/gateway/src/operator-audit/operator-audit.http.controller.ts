import { Controller, Get, UseGuards } from '@nestjs/common';
import type { OperatorApi } from '@umg/contracts';
import { ContractQuery } from '@umg/platform';
import { OperatorAuthGuard } from '../operators/operator-auth.guard';
import { RequireRole } from '../operators/operator-role';
import { OperatorActions } from './operator-actions';

type AuditQuery = { operator?: string; districtCode?: string; before?: number; limit?: number };

/** Who changed what through the operator API, newest first (viewer). */
@Controller('operator/v1')
@UseGuards(OperatorAuthGuard)
export class OperatorAuditHttpController {
  constructor(private readonly actions: OperatorActions) {}

  @Get('audit')
  @RequireRole('viewer')
  list(
    @ContractQuery('operator-api.listOperatorActions') query: AuditQuery,
  ): Promise<OperatorApi.components['schemas']['OperatorActionPage']> {
    return this.actions.list({ ...query, limit: query.limit ?? 50 });
  }
}
