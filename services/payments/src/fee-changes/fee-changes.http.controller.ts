import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import type { PaymentsInternalComponents } from '@umg/contracts';
import { ActingOperator, CallableBy, ContractBody, ContractPath, type OperatorClaim } from '@umg/platform';
import { ProblemException } from '@umg/problem';
import type { FeeChange } from '../fees/fee-schedule';
import { type FeeChangeRequest, FeeChangesService } from './fee-changes.service';

type Schemas = PaymentsInternalComponents['schemas'];

/** The fee schedule of a service for operators (through the gateway), and administrators' changes to it. */
@Controller('internal/v1')
@CallableBy('gateway')
export class FeeChangesHttpController {
  constructor(private readonly feeChanges: FeeChangesService) {}

  @Get('services/:serviceNumber/fees')
  async schedule(
    @ContractPath('payments-internal.getFeeSchedule') { serviceNumber }: { serviceNumber: number },
  ): Promise<Schemas['FeeSchedule']> {
    const schedule = await this.feeChanges.scheduleOf(serviceNumber);
    return {
      serviceNumber: schedule.serviceNumber,
      inForce: schedule.inForce.map(toView),
      scheduled: schedule.scheduled.map(toView),
      history: schedule.history.map(toView),
    };
  }

  @Post('services/:serviceNumber/fees/changes')
  @HttpCode(201)
  async scheduleChange(
    @ContractPath('payments-internal.scheduleFeeChange') { serviceNumber }: { serviceNumber: number },
    @ContractBody('payments-internal.scheduleFeeChange') body: FeeChangeRequest,
    @ActingOperator() operator: OperatorClaim,
  ): Promise<Schemas['FeeChange']> {
    administrator(operator);
    return toView(await this.feeChanges.schedule(serviceNumber, body, operator));
  }

  @Post('fee-changes/:feeChangeId/cancel')
  @HttpCode(200)
  async cancelChange(
    @ContractPath('payments-internal.cancelFeeChange') { feeChangeId }: { feeChangeId: string },
    @ContractBody('payments-internal.cancelFeeChange') body: { reason: string },
    @ActingOperator() operator: OperatorClaim,
  ): Promise<Schemas['FeeChange']> {
    administrator(operator);
    return toView(await this.feeChanges.cancel(feeChangeId, body.reason, operator));
  }
}

/** The gateway already checks the role; a token for a lesser role is refused here too. */
function administrator(operator: OperatorClaim): void {
  if (operator.role !== 'administrator') {
    throw new ProblemException(403, 'operator_role_required', 'Fee changes are for administrators');
  }
}

function toView(change: FeeChange): Schemas['FeeChange'] {
  return {
    id: change.id,
    serviceNumber: change.serviceNumber,
    urgency: change.urgency as Schemas['FeeChange']['urgency'],
    districtCode: change.districtCode,
    amountMinor: change.amountMinor,
    currency: change.currency,
    effectiveFrom: change.effectiveFrom.toISOString(),
    origin: change.origin,
    changedBy: change.changedBy,
    reason: change.reason,
    createdAt: change.createdAt.toISOString(),
    cancelledAt: change.cancelledAt?.toISOString() ?? null,
    cancelledBy: change.cancelledBy,
    cancelReason: change.cancelReason,
  };
}
