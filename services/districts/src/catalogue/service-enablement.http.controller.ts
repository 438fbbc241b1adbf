import { CallableBy } from '@umg/platform';
import { Body, Controller, Get, Param, ParseIntPipe, Put } from '@nestjs/common';
import { z } from 'zod';
import type { DistrictsInternal } from '@umg/contracts';
import { Operator, parseBody } from '../registry/operator-request';
import { reasonSchema } from '../registry/profile-changes';
import { ServiceEnablementService } from './service-enablement.service';

type ServiceEnablementView = DistrictsInternal.components['schemas']['ServiceEnablement'];

const enablementChangeSchema = z.object({ enabled: z.boolean(), reason: reasonSchema }).strict();

/** listDistrictServices, setServiceEnablement. */
@Controller('internal/v1/districts/:districtCode/services')
@CallableBy('gateway')
export class ServiceEnablementHttpController {
  constructor(private readonly enablement: ServiceEnablementService) {}

  @Get()
  async list(@Param('districtCode') code: string): Promise<ServiceEnablementView[]> {
    const numbers = await this.enablement.list(code);
    return numbers.map((serviceNumber) => ({ districtCode: code, serviceNumber, enabled: true }));
  }

  @Put(':serviceNumber')
  async set(
    @Param('districtCode') code: string,
    @Param('serviceNumber', ParseIntPipe) serviceNumber: number,
    @Operator() actor: string,
    @Body() body: unknown,
  ): Promise<ServiceEnablementView> {
    const change = parseBody(enablementChangeSchema, body);
    await this.enablement.set(code, serviceNumber, change.enabled, actor, change.reason);
    return { districtCode: code, serviceNumber, enabled: change.enabled };
  }
}
