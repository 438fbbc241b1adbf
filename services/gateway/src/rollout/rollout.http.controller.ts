import {
  Body,
  Controller,
  Get,
  HttpCode,
  type MessageEvent,
  Param,
  Patch,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Put,
  Req,
  Sse,
  UseGuards,
} from '@nestjs/common';
import type { Request } from 'express';
import {
  catchError,
  EMPTY,
  filter,
  from,
  interval,
  map,
  merge,
  type Observable,
  of,
  startWith,
  switchMap,
  take,
  takeUntil,
} from 'rxjs';
import type { OperatorApi } from '@umg/contracts';
import { ContractQuery } from '@umg/platform';
import { CurrentOperator } from '../operators/current-operator.decorator';
import { OperatorAuthGuard } from '../operators/operator-auth.guard';
import type { OperatorPrincipal } from '../operators/operator-principal';
import { RequireRole, roleAllows } from '../operators/operator-role';
import { cookieValue, OPERATOR_SESSION_COOKIE, OperatorSessions } from '../operators/operator-sessions';
import type { ApplicationStatistics } from '../applications/applications.client';
import { PaymentsClient } from '../applications/payments.client';
import { CalendarClient } from '../calendar/calendar.client';
import type { ConformanceRun, Push, District, ServiceEnablement } from './districts.client';
import { RolloutService, type StatisticsQuery } from './rollout.service';

/** The console's view of the rollout: viewers read; operators pause and replay; administrators change phases. */
@Controller('operator/v1')
@UseGuards(OperatorAuthGuard)
export class RolloutHttpController {
  constructor(
    private readonly rollout: RolloutService,
    private readonly payments: PaymentsClient,
    private readonly sessions: OperatorSessions,
    private readonly calendar: CalendarClient,
  ) {}

  @Get('districts')
  @RequireRole('viewer')
  board(): Promise<OperatorApi.components['schemas']['BoardDistrict'][]> {
    return this.rollout.board();
  }

  @Get('statistics')
  @RequireRole('viewer')
  statistics(@ContractQuery('operator-api.getCityStatistics') query: StatisticsQuery): Promise<ApplicationStatistics> {
    return this.rollout.statistics(query);
  }

  /**
   * The board every 2 s, the city's figures and the deadline alerts every 10 s while the console is open, so it
   * updates without a reload. A failed snapshot is skipped; the next one comes on the next tick.
   * The session is checked again every 2 s: sign-out, expiry or a disabled account ends the stream
   * (on every gateway instance, since sessions live in PostgreSQL).
   */
  @Sse('events')
  @RequireRole('viewer')
  events(@Req() request: Request): Observable<MessageEvent> {
    const token = cookieValue(request.header('cookie'), OPERATOR_SESSION_COOKIE) ?? '';
    const sessionEnded = interval(sessionRecheckMs).pipe(
      // A check that cannot be made counts as ended: the stream fails closed.
      switchMap(() => from(this.sessions.find(token)).pipe(catchError(() => of(undefined)))),
      filter((operator) => !operator || !roleAllows(operator.role, 'viewer')),
      take(1),
    );
    return merge(
      snapshots(2_000, () => this.rollout.board(), 'board'),
      snapshots(10_000, () => this.rollout.cityStatistics(), 'statistics'),
      snapshots(10_000, () => this.calendar.deadlineAlerts(), 'deadlines'),
    ).pipe(takeUntil(sessionEnded));
  }

  @Get('districts/:districtCode')
  @RequireRole('viewer')
  overview(
    @Param('districtCode') districtCode: string,
  ): Promise<OperatorApi.components['schemas']['DistrictOverview']> {
    return this.rollout.overview(districtCode);
  }

  @Post('districts/:districtCode/suspension')
  @HttpCode(200)
  @RequireRole('operator')
  suspend(
    @CurrentOperator() operator: OperatorPrincipal,
    @Param('districtCode') districtCode: string,
    @Body() body: unknown,
  ): Promise<District> {
    return this.rollout.suspend(operator, districtCode, body);
  }

  @Post('districts/:districtCode/phase')
  @HttpCode(200)
  @RequireRole('administrator')
  changePhase(
    @CurrentOperator() operator: OperatorPrincipal,
    @Param('districtCode') districtCode: string,
    @Body() body: unknown,
  ): Promise<District> {
    return this.rollout.changePhase(operator, districtCode, body);
  }

  @Put('districts/:districtCode/payee')
  @RequireRole('administrator')
  changePayee(
    @CurrentOperator() operator: OperatorPrincipal,
    @Param('districtCode') districtCode: string,
    @Body() body: unknown,
  ): Promise<District> {
    return this.rollout.changePayee(operator, districtCode, body);
  }

  @Patch('districts/:districtCode/profile')
  @RequireRole('administrator')
  changeProfile(
    @CurrentOperator() operator: OperatorPrincipal,
    @Param('districtCode') districtCode: string,
    @Body() body: unknown,
  ): Promise<District> {
    return this.rollout.changeProfile(operator, districtCode, body);
  }

  @Put('districts/:districtCode/services/:serviceNumber')
  @RequireRole('administrator')
  setServiceEnablement(
    @CurrentOperator() operator: OperatorPrincipal,
    @Param('districtCode') districtCode: string,
    @Param('serviceNumber', ParseIntPipe) serviceNumber: number,
    @Body() body: unknown,
  ): Promise<ServiceEnablement> {
    return this.rollout.setServiceEnablement(operator, districtCode, serviceNumber, body);
  }

  @Post('districts/:districtCode/conformance-runs')
  @RequireRole('operator')
  startConformanceRun(
    @CurrentOperator() operator: OperatorPrincipal,
    @Param('districtCode') districtCode: string,
  ): Promise<ConformanceRun> {
    return this.rollout.startConformanceRun(operator, districtCode);
  }

  @Post('payment-requests/:paymentRequestId/retry')
  @HttpCode(200)
  @RequireRole('operator')
  retryPayment(
    @CurrentOperator() operator: OperatorPrincipal,
    @Param('paymentRequestId', ParseUUIDPipe) paymentRequestId: string,
  ): ReturnType<PaymentsClient['retry']> {
    return this.payments.retry(operator, paymentRequestId);
  }

  @Get('payments/reconciliation')
  @RequireRole('viewer')
  reconciliationReport(
    @ContractQuery('operator-api.getReconciliationReport') query: { district: string; date: string },
  ): ReturnType<PaymentsClient['reconciliationReport']> {
    return this.payments.reconciliationReport(query);
  }

  @Post('payments/reconciliation-runs')
  @HttpCode(200)
  @RequireRole('operator')
  runReconciliation(@CurrentOperator() operator: OperatorPrincipal): ReturnType<PaymentsClient['runReconciliation']> {
    return this.payments.runReconciliation(operator);
  }

  @Get('payment-system/clients')
  @RequireRole('viewer')
  refusedClients(): ReturnType<PaymentsClient['refusedClients']> {
    return this.payments.refusedClients();
  }

  @Post('pushes/:pushId/replay')
  @HttpCode(200)
  @RequireRole('operator')
  replay(
    @CurrentOperator() operator: OperatorPrincipal,
    @Param('pushId', ParseIntPipe) pushId: number,
    @Body() body: unknown,
  ): Promise<Push> {
    return this.rollout.replay(operator, pushId, body);
  }
}

/** How often a live event stream checks that its session is still open. */
const sessionRecheckMs = 2_000;

function snapshots(everyMs: number, snapshot: () => Promise<unknown>, type: string): Observable<MessageEvent> {
  return interval(everyMs).pipe(
    startWith(0),
    switchMap(() => from(snapshot()).pipe(catchError(() => EMPTY))),
    map((data) => ({ type, data: data as object })),
  );
}
