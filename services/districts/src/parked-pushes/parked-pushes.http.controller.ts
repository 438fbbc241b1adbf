import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import type { DistrictsInternal } from '@umg/contracts';
import { CallableBy, ContractBody, ContractPath, ContractQuery } from '@umg/platform';
import { DistrictError, DistrictErrorCode } from '../district/district-error';
import { Operator } from '../operator-request';
import { type ParkedPushQuery, ParkedPushesService } from './parked-pushes.service';

type Schemas = DistrictsInternal.components['schemas'];

/** listParkedPushes, getParkedPush, replayParkedPushes, discardParkedPushes: the console's recovery page. */
@Controller('internal/v1')
@CallableBy('gateway')
export class ParkedPushesHttpController {
  constructor(private readonly pushes: ParkedPushesService) {}

  @Get('parked-pushes')
  list(
    @ContractQuery('districts-internal.listParkedPushes') query: ParkedPushQuery,
  ): Promise<Schemas['ParkedPushPage']> {
    return this.pushes.list(query);
  }

  @Get('parked-pushes/:pushId')
  get(
    @ContractPath('districts-internal.getParkedPush') path: { pushId: number },
  ): Promise<Schemas['ParkedPushDetail']> {
    return this.pushes.get(path.pushId);
  }

  @Post('parked-push-replays')
  @HttpCode(200)
  async replay(
    @Operator() actor: string,
    @ContractBody('districts-internal.replayParkedPushes') body: Schemas['ParkedPushSelection'],
  ): Promise<Schemas['ParkedPushOutcomes']> {
    const reason = body.reason?.trim() || 'replayed from the operator console';
    return { results: await this.pushes.replay(body.ids, actor, reason) };
  }

  @Post('parked-push-discards')
  @HttpCode(200)
  async discard(
    @Operator() actor: string,
    @ContractBody('districts-internal.discardParkedPushes') body: Schemas['ParkedPushDiscard'],
  ): Promise<Schemas['ParkedPushOutcomes']> {
    const reason = body.reason.trim();
    if (!reason) throw new DistrictError(DistrictErrorCode.ReasonRequired, 'say why the pushes are discarded');
    return { results: await this.pushes.discard(body.ids, actor, reason) };
  }
}
