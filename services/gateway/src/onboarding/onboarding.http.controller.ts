import { Controller, Get, Put, UseGuards } from '@nestjs/common';
import { ContractBody, ContractPath } from '@umg/platform';
import { CurrentOperator } from '../operators/current-operator.decorator';
import { OperatorAuthGuard } from '../operators/operator-auth.guard';
import type { OperatorPrincipal } from '../operators/operator-principal';
import { RequireRole } from '../operators/operator-role';
import {
  type ConformanceRun,
  type District,
  type DistrictSecretChange,
  type DistrictSecretMetadata,
  type DistrictService,
  type EDeliveryIdentityChange,
  OnboardingClient,
  type ServicePhaseChangeRequest,
} from './onboarding.client';

interface DistrictPath {
  districtCode: string;
}

/**
 * Onboarding a district from the console: its secret (set, never shown), its e-delivery identity,
 * its conformance runs step by step, and each service's phase. Viewers read; administrators change.
 * The districts service owns the rules and the audit trail; the operator travels in the signed token.
 */
@Controller('operator/v1/districts/:districtCode')
@UseGuards(OperatorAuthGuard)
export class OnboardingHttpController {
  constructor(private readonly onboarding: OnboardingClient) {}

  @Get('secret')
  @RequireRole('viewer')
  secret(@ContractPath('operator-api.getDistrictSecretMetadata') path: DistrictPath): Promise<DistrictSecretMetadata> {
    return this.onboarding.secret(path.districtCode);
  }

  @Put('secret')
  @RequireRole('administrator')
  setSecret(
    @CurrentOperator() operator: OperatorPrincipal,
    @ContractPath('operator-api.setDistrictSecret') path: DistrictPath,
    @ContractBody('operator-api.setDistrictSecret') change: DistrictSecretChange,
  ): Promise<DistrictSecretMetadata> {
    return this.onboarding.setSecret(path.districtCode, operator, { ...change, reason: change.reason.trim() });
  }

  @Put('e-delivery')
  @RequireRole('administrator')
  changeEDelivery(
    @CurrentOperator() operator: OperatorPrincipal,
    @ContractPath('operator-api.changeDistrictEDeliveryIdentity') path: DistrictPath,
    @ContractBody('operator-api.changeDistrictEDeliveryIdentity') change: EDeliveryIdentityChange,
  ): Promise<District> {
    return this.onboarding.changeEDeliveryIdentity(path.districtCode, operator, {
      ...change,
      reason: change.reason.trim(),
    });
  }

  @Get('conformance-runs')
  @RequireRole('viewer')
  conformanceRuns(@ContractPath('operator-api.listConformanceRuns') path: DistrictPath): Promise<ConformanceRun[]> {
    return this.onboarding.conformanceRuns(path.districtCode);
  }

  @Get('conformance-runs/:runId')
  @RequireRole('viewer')
  conformanceRun(
    @ContractPath('operator-api.getConformanceRun') path: DistrictPath & { runId: number },
  ): Promise<ConformanceRun> {
    return this.onboarding.conformanceRun(path.districtCode, path.runId);
  }

  @Get('service-phases')
  @RequireRole('viewer')
  servicePhases(
    @ContractPath('operator-api.listDistrictServicePhases') path: DistrictPath,
  ): Promise<DistrictService[]> {
    return this.onboarding.servicePhases(path.districtCode);
  }

  @Get('service-phases/:serviceNumber')
  @RequireRole('viewer')
  servicePhase(
    @ContractPath('operator-api.getDistrictServicePhase') path: DistrictPath & { serviceNumber: number },
  ): Promise<DistrictService> {
    return this.onboarding.servicePhase(path.districtCode, path.serviceNumber);
  }

  @Put('service-phases/:serviceNumber')
  @RequireRole('administrator')
  changeServicePhase(
    @CurrentOperator() operator: OperatorPrincipal,
    @ContractPath('operator-api.changeDistrictServicePhase') path: DistrictPath & { serviceNumber: number },
    @ContractBody('operator-api.changeDistrictServicePhase') change: ServicePhaseChangeRequest,
  ): Promise<DistrictService> {
    return this.onboarding.changeServicePhase(path.districtCode, path.serviceNumber, operator, {
      ...change,
      reason: change.reason.trim(),
    });
  }
}
