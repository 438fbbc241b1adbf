import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { findCatalogueService } from '@umg/catalogue';
import type { ConformanceSandboxOpened } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { PoisonMessageError } from '@umg/messaging';
import { ApplicationEntity } from '../application/application.entity';
import { InjectLogger } from '../inject-logger';
import { ApplicationLifecycle } from '../lifecycle/application-lifecycle';

/**
 * A pull district's conformance run started: a made-up application, recognisable by its ids and
 * marked with the run, is routed to the district like a real one, so that the district's client
 * can be watched handling it through the district API. No deadline clock runs for it.
 */
@Injectable()
export class OpenSandboxApplicationService {
  constructor(
    private readonly lifecycle: ApplicationLifecycle,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async open(manager: EntityManager, sandbox: ConformanceSandboxOpened): Promise<void> {
    const service = findCatalogueService(sandbox.serviceNumber);
    if (!service) {
      throw new PoisonMessageError('unknown_service', `service ${sandbox.serviceNumber} is not in the catalogue`);
    }
    if (await manager.findOneBy(ApplicationEntity, { id: sandbox.applicationId })) return;
    const openedAt = new Date(sandbox.openedAt);
    const application = Object.assign(new ApplicationEntity(), {
      id: sandbox.applicationId,
      portalApplicationId: `CONFORMANCE-${sandbox.runId}`,
      serviceReferenceNumber: `CONFORMANCE-${sandbox.runId}`,
      serviceNumber: service.serviceNumber,
      serviceName: service.nameBg,
      districtCode: sandbox.districtCode,
      urgency: 'regular',
      registrationNumber: null,
      applicant: { identifierType: 'EGN', identifier: '0000000000', name: 'Тестов Заявител (conformance)' },
      representative: null,
      deliveryChannel: 'e_delivery',
      eDeliveryProfileId: null,
      formData: { conformanceRun: sandbox.runId },
      submittedAt: openedAt,
      receivedAt: openedAt,
      dueAt: null,
      overdueAt: null,
      conformanceRunId: sandbox.runId,
      updatedAt: openedAt,
    });
    const actor = { kind: 'system', id: 'districts' } as const;
    await this.lifecycle.open(manager, application, actor);
    await this.lifecycle.transition(manager, application, {
      to: 'routed',
      actor,
      details: { districtCode: application.districtCode, conformanceRun: sandbox.runId },
    });
    this.logger.info(
      { applicationId: application.id, districtCode: application.districtCode, runId: sandbox.runId },
      'conformance sandbox application routed',
    );
  }
}
