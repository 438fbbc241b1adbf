import { Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { catalogueGaps, findCatalogueService } from '@umg/catalogue';
import type { OperatorApi } from '@umg/contracts';
import { ContractBody, ContractPath } from '@umg/platform';
import { ProblemException } from '@umg/problem';
import { CurrentOperator } from '../operators/current-operator.decorator';
import { OperatorAuthGuard } from '../operators/operator-auth.guard';
import type { OperatorPrincipal } from '../operators/operator-principal';
import { RequireRole } from '../operators/operator-role';
import { type FeeChange, type FeeChangeRequest, FeesClient } from './fees.client';

type ServiceFees = OperatorApi.components['schemas']['ServiceFees'];

/**
 * Fees in the console: viewers read a service's catalogue facts and fee schedule; administrators
 * schedule a fee change from a date and cancel one not yet in effect. The payments service owns
 * the schedule and keeps who changed what and why.
 */
@Controller('operator/v1')
@UseGuards(OperatorAuthGuard)
export class FeesHttpController {
  constructor(private readonly fees: FeesClient) {}

  @Get('fees/:serviceNumber')
  @RequireRole('viewer')
  async serviceFees(
    @ContractPath('operator-api.getServiceFees') { serviceNumber }: { serviceNumber: number },
  ): Promise<ServiceFees> {
    const service = findCatalogueService(serviceNumber);
    if (!service) throw new ProblemException(404, 'fee_service_unknown', 'No such service in the catalogue');
    const schedule = await this.fees.schedule(serviceNumber);
    return {
      serviceNumber,
      serviceNumberIsPlaceholder: service.serviceNumberIsPlaceholder,
      nameBg: service.nameBg,
      nameEn: service.nameEn,
      catalogueGaps: catalogueGaps(service),
      serviceNumberSources: [...service.serviceNumberSources],
      catalogue: service.urgencies.map((urgency) => ({
        urgency: urgency.urgency,
        deadlineText: urgency.deadlineText,
        feeEurMinor: urgency.fee?.amountMinor ?? null,
        feeBgn: urgency.feeBgn,
        sources: [...urgency.sources],
      })),
      inForce: schedule.inForce,
      scheduled: schedule.scheduled,
      history: schedule.history,
    };
  }

  @Post('fees/:serviceNumber/changes')
  @HttpCode(201)
  @RequireRole('administrator')
  scheduleChange(
    @CurrentOperator() operator: OperatorPrincipal,
    @ContractPath('operator-api.scheduleServiceFeeChange') { serviceNumber }: { serviceNumber: number },
    @ContractBody('operator-api.scheduleServiceFeeChange') change: FeeChangeRequest,
  ): Promise<FeeChange> {
    return this.fees.scheduleChange(operator, serviceNumber, { ...change, reason: change.reason.trim() });
  }

  @Post('fee-changes/:feeChangeId/cancel')
  @HttpCode(200)
  @RequireRole('administrator')
  cancelChange(
    @CurrentOperator() operator: OperatorPrincipal,
    @ContractPath('operator-api.cancelServiceFeeChange') { feeChangeId }: { feeChangeId: string },
    @ContractBody('operator-api.cancelServiceFeeChange') body: { reason: string },
  ): Promise<FeeChange> {
    return this.fees.cancelChange(operator, feeChangeId, body.reason.trim());
  }
}
