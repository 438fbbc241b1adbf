import {
  Body,
  Controller,
  Get,
  HttpCode,
  type MessageEvent,
  Param,
  ParseIntPipe,
  Post,
  Sse,
  UseGuards,
} from '@nestjs/common';
import { catchError, EMPTY, from, interval, map, type Observable, startWith, switchMap } from 'rxjs';
import type { OperatorApi } from '@umg/contracts';
import { CurrentOperator } from '../operators/current-operator.decorator';
import { OperatorAuthGuard } from '../operators/operator-auth.guard';
import type { OperatorPrincipal } from '../operators/operator-principal';
import { RequireRole } from '../operators/operator-role';
import type { Delivery, District } from './districts.client';
import { RolloutService } from './rollout.service';

/** The console's view of the rollout: viewers read; operators pause and replay; administrators change phases. */
@Controller('operator/v1')
@UseGuards(OperatorAuthGuard)
export class RolloutHttpController {
  constructor(private readonly rollout: RolloutService) {}

  @Get('districts')
  @RequireRole('viewer')
  board(): Promise<OperatorApi.components['schemas']['BoardDistrict'][]> {
    return this.rollout.board();
  }

  /** The board every 2 s while the console is open, so it updates without a reload. */
  @Sse('events')
  @RequireRole('viewer')
  events(): Observable<MessageEvent> {
    return interval(2_000).pipe(
      startWith(0),
      // A failed snapshot is skipped; the next one comes 2 s later.
      switchMap(() => from(this.rollout.board()).pipe(catchError(() => EMPTY))),
      map((board) => ({ type: 'board', data: board })),
    );
  }

  @Get('districts/:districtCode')
  @RequireRole('viewer')
  overview(
    @Param('districtCode') districtCode: string,
  ): Promise<OperatorApi.components['schemas']['DistrictOverview']> {
    return this.rollout.overview(districtCode);
  }

  @Post('districts/:districtCode/suspension')
  @HttpCode(200)
  @RequireRole('operator')
  suspend(
    @CurrentOperator() operator: OperatorPrincipal,
    @Param('districtCode') districtCode: string,
    @Body() body: unknown,
  ): Promise<District> {
    return this.rollout.suspend(operator, districtCode, body);
  }

  @Post('districts/:districtCode/phase')
  @HttpCode(200)
  @RequireRole('administrator')
  changePhase(
    @CurrentOperator() operator: OperatorPrincipal,
    @Param('districtCode') districtCode: string,
    @Body() body: unknown,
  ): Promise<District> {
    return this.rollout.changePhase(operator, districtCode, body);
  }

  @Post('deliveries/:deliveryId/replay')
  @HttpCode(200)
  @RequireRole('operator')
  replay(
    @CurrentOperator() operator: OperatorPrincipal,
    @Param('deliveryId', ParseIntPipe) deliveryId: number,
    @Body() body: unknown,
  ): Promise<Delivery> {
    return this.rollout.replay(operator, deliveryId, body);
  }
}
