import { Get, HttpCode, Inject, Post, type Type } from '@nestjs/common';
import type { ContractOperation } from '@umg/contracts';
import { type DeadLetterDetail, type DeadLetterFilter, type DeadLetterOutcome, DeadLetters } from '@umg/messaging';
import { ProblemException } from '@umg/problem';
import { ContractBody, ContractPath, ContractQuery } from './contract-input';
import { ActingOperator } from './service-identity/service-caller.decorator';
import type { OperatorClaim } from './service-identity/service-token';

/** The internal APIs whose services consume Kafka, each with the same dead-letter operations. */
export type ConsumingServiceApi =
  'applications-internal' | 'payments-internal' | 'delivery-internal' | 'districts-internal';

export interface DeadLetterRoutes {
  list(query: DeadLetterFilter): ReturnType<DeadLetters['list']>;
  get(path: { deadLetterId: number }): Promise<DeadLetterDetail>;
  replay(operator: OperatorClaim, body: { ids: number[] }): Promise<{ results: DeadLetterOutcome[] }>;
  discard(operator: OperatorClaim, body: { ids: number[]; reason: string }): Promise<{ results: DeadLetterOutcome[] }>;
}

/**
 * The dead-letter routes of a consuming service, checked against its own contract: a service's
 * controller extends this under `internal/v1` and names its callers (the gateway).
 */
export function deadLetterRoutes(api: ConsumingServiceApi): Type<DeadLetterRoutes> {
  const operation = (id: string) => `${api}.${id}` as ContractOperation;

  class Routes implements DeadLetterRoutes {
    // Named, since the service's subclass declares no constructor of its own for Nest to read.
    constructor(@Inject(DeadLetters) readonly deadLetters: DeadLetters) {}

    @Get('dead-letters')
    list(@ContractQuery(operation('listDeadLetters')) query: DeadLetterFilter): ReturnType<DeadLetters['list']> {
      return this.deadLetters.list(query);
    }

    @Get('dead-letters/:deadLetterId')
    async get(@ContractPath(operation('getDeadLetter')) path: { deadLetterId: number }): Promise<DeadLetterDetail> {
      const letter = await this.deadLetters.get(path.deadLetterId);
      if (!letter) throw new ProblemException(404, 'dead_letter_not_found', `No dead letter ${path.deadLetterId}`);
      return letter;
    }

    @Post('dead-letter-replays')
    @HttpCode(200)
    async replay(
      @ActingOperator() operator: OperatorClaim,
      @ContractBody(operation('replayDeadLetters')) body: { ids: number[] },
    ): Promise<{ results: DeadLetterOutcome[] }> {
      return { results: await this.deadLetters.replay(unique(body.ids), operator.id) };
    }

    @Post('dead-letter-discards')
    @HttpCode(200)
    async discard(
      @ActingOperator() operator: OperatorClaim,
      @ContractBody(operation('discardDeadLetters')) body: { ids: number[]; reason: string },
    ): Promise<{ results: DeadLetterOutcome[] }> {
      const reason = body.reason.trim();
      if (!reason) throw new ProblemException(400, 'reason_required', 'Say why the messages are discarded');
      return { results: await this.deadLetters.discard(unique(body.ids), operator.id, reason) };
    }
  }
  return Routes;
}

function unique(ids: number[]): number[] {
  return [...new Set(ids)];
}
