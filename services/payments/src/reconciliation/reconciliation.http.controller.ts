import { ActingOperator, CallableBy, type OperatorClaim, SERVICE_LOGGER } from '@umg/platform';
import type { Logger } from '@umg/logging';
import { Controller, Get, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { PaymentsInternalComponents } from '@umg/contracts';
import { ContractQuery } from '@umg/platform';
import { PaymentError, PaymentErrorCode } from '../payment-error';
import { PaymentSystemUnavailableError } from '../payment-system/payment-system.client';
import { ReconcilePaymentsService, type ReconciliationRun } from './reconcile-payments.service';
import { ReconciliationReportService } from './reconciliation-report.service';
import { reconciliationReportCsv } from './reconciliation-report.csv';

type ReconciliationReport = PaymentsInternalComponents['schemas']['ReconciliationReport'];

/** Operators' reconciliation: run it now, and the daily report per district (JSON or CSV). */
@Controller('internal/v1')
@CallableBy('gateway')
export class ReconciliationHttpController {
  constructor(
    private readonly reconcile: ReconcilePaymentsService,
    private readonly reports: ReconciliationReportService,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  @Post('reconciliation/runs')
  @HttpCode(200)
  async run(@ActingOperator() operator: OperatorClaim): Promise<ReconciliationRun> {
    // Who ran it comes from the gateway's signed claim; the log line is the run's audit record.
    this.logger.info({ operator: operator.id, role: operator.role }, 'operator runs reconciliation');
    let run;
    try {
      run = await this.reconcile.run();
    } catch (error) {
      if (error instanceof PaymentSystemUnavailableError) {
        throw new PaymentError(PaymentErrorCode.PaymentSystemUnavailable, error.message);
      }
      throw error;
    }
    if (!run)
      throw new PaymentError(PaymentErrorCode.ReconciliationRunning, 'another reconciliation run is in progress');
    return run;
  }

  @Get('reports/reconciliation')
  async report(
    @ContractQuery('payments-internal.getReconciliationReport') query: { district: string; date: string },
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ReconciliationReport | string> {
    const report = await this.reports.report(query.district, query.date);
    if (accept?.includes('text/csv')) {
      response.type('text/csv; charset=utf-8');
      response.setHeader(
        'Content-Disposition',
        `attachment; filename="reconciliation-${report.districtCode}-${report.date}.csv"`,
      );
      return reconciliationReportCsv(report);
    }
    return report;
  }
}
