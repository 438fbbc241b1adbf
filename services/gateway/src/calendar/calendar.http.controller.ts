import { Controller, Delete, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ContractBody, ContractPath, ContractQuery } from '@umg/platform';
import { CurrentOperator } from '../operators/current-operator.decorator';
import { OperatorAuthGuard } from '../operators/operator-auth.guard';
import type { OperatorPrincipal } from '../operators/operator-principal';
import { RequireRole } from '../operators/operator-role';
import {
  type CalendarAuditEntry,
  CalendarClient,
  type CalendarYear,
  type DeadlineAlerts,
  type DecreeDay,
  type DecreeDayChange,
  type DecreeDayEntry,
} from './calendar.client';

/**
 * Working days moved by government decree and the deadlines counted in them: viewers read,
 * administrators enter and delete decree days (the applications service audits who).
 */
@Controller('operator/v1')
@UseGuards(OperatorAuthGuard)
export class CalendarHttpController {
  constructor(private readonly calendar: CalendarClient) {}

  @Get('calendar/decree-days')
  @RequireRole('viewer')
  decreeDays(@ContractQuery('operator-api.listDecreeDays') query: { year?: number }): Promise<DecreeDay[]> {
    return this.calendar.decreeDays(query.year);
  }

  @Post('calendar/decree-days')
  @RequireRole('administrator')
  enterDecreeDay(
    @CurrentOperator() operator: OperatorPrincipal,
    @ContractBody('operator-api.enterDecreeDay') entry: DecreeDayEntry,
  ): Promise<DecreeDayChange> {
    return this.calendar.enterDecreeDay(operator, entry);
  }

  @Delete('calendar/decree-days/:decreeDayId')
  @HttpCode(200)
  @RequireRole('administrator')
  deleteDecreeDay(
    @CurrentOperator() operator: OperatorPrincipal,
    @ContractPath('operator-api.deleteDecreeDay') { decreeDayId }: { decreeDayId: number },
    @ContractBody('operator-api.deleteDecreeDay') deletion: { reason: string },
  ): Promise<DecreeDayChange> {
    return this.calendar.deleteDecreeDay(operator, decreeDayId, deletion.reason);
  }

  @Get('calendar/days-off')
  @RequireRole('viewer')
  year(@ContractQuery('operator-api.listCalendarDays') query: { year: number }): Promise<CalendarYear> {
    return this.calendar.year(query.year);
  }

  @Get('calendar/audit')
  @RequireRole('viewer')
  audit(): Promise<CalendarAuditEntry[]> {
    return this.calendar.audit();
  }

  @Get('deadline-alerts')
  @RequireRole('viewer')
  deadlineAlerts(
    @ContractQuery('operator-api.listDeadlineAlerts') query: { district?: string },
  ): Promise<DeadlineAlerts> {
    return this.calendar.deadlineAlerts(query.district);
  }
}
