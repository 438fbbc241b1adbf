import { Controller, Get } from '@nestjs/common';
import type { ApplicationsInternal } from '@umg/contracts';
import { CallableBy, ContractQuery } from '@umg/platform';
import { DeadlineAlertsService } from './deadline-alerts.service';

/** listDeadlineAlerts, for the operator console. */
@Controller('internal/v1/deadline-alerts')
@CallableBy('gateway')
export class DeadlineAlertsHttpController {
  constructor(private readonly alerts: DeadlineAlertsService) {}

  @Get()
  list(
    @ContractQuery('applications-internal.listDeadlineAlerts') query: { district?: string; limit: number },
  ): Promise<ApplicationsInternal.components['schemas']['DeadlineAlerts']> {
    return this.alerts.alerts(query);
  }
}
