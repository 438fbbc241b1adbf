import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import type { ApplicationsInternal } from '@umg/contracts';
import {
  ActingOperator,
  CallableBy,
  ContractBody,
  ContractPath,
  ContractQuery,
  type OperatorClaim,
} from '@umg/platform';
import { CalendarError, CalendarErrorCode } from './calendar-error';
import { ChangeDecreeDaysService } from './change-decree-days.service';
import type { DecreeDay, DecreeDayChange, DecreeDayEntry } from './decree-day';
import { ReadCalendarService } from './read-calendar.service';

type Schemas = ApplicationsInternal.components['schemas'];

/** listDecreeDays, enterDecreeDay, deleteDecreeDay, listCalendarDays, listCalendarAudit. */
@Controller('internal/v1/calendar')
@CallableBy('gateway')
export class CalendarHttpController {
  constructor(
    private readonly read: ReadCalendarService,
    private readonly change: ChangeDecreeDaysService,
  ) {}

  @Get('decree-days')
  decreeDays(@ContractQuery('applications-internal.listDecreeDays') query: { year?: number }): Promise<DecreeDay[]> {
    return this.read.decreeDays(query.year);
  }

  @Post('decree-days')
  enter(
    @ActingOperator() operator: OperatorClaim,
    @ContractBody('applications-internal.enterDecreeDay') entry: DecreeDayEntry,
  ): Promise<DecreeDayChange> {
    return this.change.enter(entry, administrator(operator));
  }

  @Delete('decree-days/:decreeDayId')
  @HttpCode(200)
  delete(
    @ActingOperator() operator: OperatorClaim,
    @ContractPath('applications-internal.deleteDecreeDay') { decreeDayId }: { decreeDayId: number },
    @ContractBody('applications-internal.deleteDecreeDay') deletion: Schemas['DecreeDayDeletion'],
  ): Promise<DecreeDayChange> {
    return this.change.delete(decreeDayId, deletion.reason, administrator(operator));
  }

  @Get('days-off')
  year(
    @ContractQuery('applications-internal.listCalendarDays') query: { year: number },
  ): Promise<Schemas['CalendarYear']> {
    return this.read.year(query.year);
  }

  @Get('audit')
  audit(
    @ContractQuery('applications-internal.listCalendarAudit') query: { limit: number },
  ): Promise<Schemas['CalendarAuditEntry'][]> {
    return this.read.audit(query.limit);
  }
}

/** The gateway checks the role too; the calendar is changed by administrators only. */
function administrator(operator: OperatorClaim): string {
  if (operator.role !== 'administrator') {
    throw new CalendarError(CalendarErrorCode.AdministratorRequired, `${operator.id} is ${operator.role}`);
  }
  return `operator:${operator.id}`;
}
