import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { DistrictsInternal, OperatorApi } from '@umg/contracts';
import { ContractPath, ContractQuery } from '@umg/platform';
import { CurrentOperator } from '../operators/current-operator.decorator';
import { OperatorAuthGuard } from '../operators/operator-auth.guard';
import type { OperatorPrincipal } from '../operators/operator-principal';
import { RequireRole } from '../operators/operator-role';
import type { ConsumingService } from './recovery.client';
import { type DeadLetterListQuery, RecoveryService } from './recovery.service';

type Schemas = OperatorApi.components['schemas'];
type Districts = DistrictsInternal.components['schemas'];

/** The console's recovery page: viewers read dead letters and parked pushes; operators replay and discard. */
@Controller('operator/v1')
@UseGuards(OperatorAuthGuard)
export class RecoveryHttpController {
  constructor(private readonly recovery: RecoveryService) {}

  @Get('dead-letters')
  @RequireRole('viewer')
  listDeadLetters(
    @ContractQuery('operator-api.listDeadLetters') query: DeadLetterListQuery,
  ): Promise<Schemas['OperatorDeadLetterPage']> {
    return this.recovery.listDeadLetters(query);
  }

  @Get('dead-letters/:service/:deadLetterId')
  @RequireRole('viewer')
  getDeadLetter(
    @ContractPath('operator-api.getDeadLetter') path: { service: ConsumingService; deadLetterId: number },
  ): Promise<Schemas['OperatorDeadLetterDetail']> {
    return this.recovery.getDeadLetter(path.service, path.deadLetterId);
  }

  @Post('dead-letter-replays')
  @HttpCode(200)
  @RequireRole('operator')
  replayDeadLetters(
    @CurrentOperator() operator: OperatorPrincipal,
    @Body() body: unknown,
  ): Promise<Schemas['DeadLetterRefOutcomes']> {
    return this.recovery.replayDeadLetters(operator, body);
  }

  @Post('dead-letter-discards')
  @HttpCode(200)
  @RequireRole('operator')
  discardDeadLetters(
    @CurrentOperator() operator: OperatorPrincipal,
    @Body() body: unknown,
  ): Promise<Schemas['DeadLetterRefOutcomes']> {
    return this.recovery.discardDeadLetters(operator, body);
  }

  @Get('parked-pushes')
  @RequireRole('viewer')
  listParkedPushes(
    @ContractQuery('operator-api.listParkedPushes')
    query: {
      district?: string;
      state: 'parked' | 'discarded';
      cursor?: string;
      limit: number;
    },
  ): Promise<Districts['ParkedPushPage']> {
    return this.recovery.listParkedPushes(query);
  }

  @Get('parked-pushes/:pushId')
  @RequireRole('viewer')
  getParkedPush(
    @ContractPath('operator-api.getParkedPush') path: { pushId: number },
  ): Promise<Districts['ParkedPushDetail']> {
    return this.recovery.getParkedPush(path.pushId);
  }

  @Post('parked-push-replays')
  @HttpCode(200)
  @RequireRole('operator')
  replayParkedPushes(
    @CurrentOperator() operator: OperatorPrincipal,
    @Body() body: unknown,
  ): Promise<Districts['ParkedPushOutcomes']> {
    return this.recovery.replayParkedPushes(operator, body);
  }

  @Post('parked-push-discards')
  @HttpCode(200)
  @RequireRole('operator')
  discardParkedPushes(
    @CurrentOperator() operator: OperatorPrincipal,
    @Body() body: unknown,
  ): Promise<Districts['ParkedPushOutcomes']> {
    return this.recovery.discardParkedPushes(operator, body);
  }
}
