import { Body, Controller, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { z } from 'zod';
import { ChangePhaseService } from './change-phase.service';
import { type DistrictView, toDistrictView } from './district.mapper';
import { Operator, parseBody } from './operator-request';
import { phaseSchema, profileChangeSchema, reasonSchema } from './profile-changes';
import { UpdateProfileService } from './update-profile.service';

const phaseChangeSchema = z.object({ phase: phaseSchema, reason: reasonSchema }).strict();

/** updateDistrictProfile, changeDistrictPhase. */
@Controller('internal/v1/districts/:districtCode')
export class ChangeRegistryHttpController {
  constructor(
    private readonly updateProfile: UpdateProfileService,
    private readonly changePhase: ChangePhaseService,
  ) {}

  @Patch('profile')
  async profile(
    @Param('districtCode') code: string,
    @Operator() actor: string,
    @Body() body: unknown,
  ): Promise<DistrictView> {
    return toDistrictView(await this.updateProfile.update(code, parseBody(profileChangeSchema, body), actor));
  }

  @Post('phase')
  @HttpCode(200)
  async phase(
    @Param('districtCode') code: string,
    @Operator() actor: string,
    @Body() body: unknown,
  ): Promise<DistrictView> {
    const change = parseBody(phaseChangeSchema, body);
    return toDistrictView(await this.changePhase.change(code, change.phase, actor, change.reason));
  }
}
