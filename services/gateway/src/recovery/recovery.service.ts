import { Injectable } from '@nestjs/common';
import type { DistrictsInternal, OperatorApi } from '@umg/contracts';
import { contractInput } from '@umg/platform';
import { ProblemException } from '@umg/problem';
import type { OperatorPrincipal } from '../operators/operator-principal';
import { type DeadLetterCursor, decodeCursor, encodeCursor } from './dead-letter-cursor';
import { type ConsumingService, consumingServices, type DeadLetterQuery, RecoveryClient } from './recovery.client';

type Schemas = OperatorApi.components['schemas'];
type Districts = DistrictsInternal.components['schemas'];
type OperatorDeadLetter = Schemas['OperatorDeadLetter'];

/** listDeadLetters' query as the contract checked it, its defaults filled in. */
export interface DeadLetterListQuery extends Omit<DeadLetterQuery, 'cursor' | 'limit'> {
  service?: ConsumingService;
  cursor?: string;
  limit: number;
}

/**
 * The console's recovery page: dead letters of every consuming service as one list, and the
 * districts service's parked pushes; replays and discards act for the signed-in operator, and
 * the services record who did it (and, for pushes, audit it per district).
 */
@Injectable()
export class RecoveryService {
  constructor(private readonly client: RecoveryClient) {}

  /**
   * One page across the services, newest failure first: each service's newest entries after its
   * cursor, merged; a service's cursor moves only past the entries this page shows.
   */
  async listDeadLetters(query: DeadLetterListQuery): Promise<Schemas['OperatorDeadLetterPage']> {
    const { service, cursor: text, limit, ...filter } = query;
    const cursor = decodeCursor(text);
    const services = (service ? [service] : consumingServices).filter((name) => cursor[name] !== 'done');
    const unavailable: ConsumingService[] = [];
    const pages = await Promise.all(
      services.map(async (name) => {
        try {
          return {
            service: name,
            page: await this.client.listDeadLetters(name, { ...filter, limit, cursor: cursor[name] }),
          };
        } catch (error) {
          // A service that cannot answer is named, not allowed to hide the others' dead letters;
          // its cursor stays where it was, so the next page asks it again. Its 4xx (bad filter) still fails the call.
          if (!(error instanceof ProblemException) || error.status < 500) throw error;
          unavailable.push(name);
          return undefined;
        }
      }),
    );
    const heads = pages
      .filter((answer) => answer !== undefined)
      .map(({ service: name, page }) => ({ service: name, page, taken: 0 }));
    const items: OperatorDeadLetter[] = [];
    while (items.length < limit) {
      let next: (typeof heads)[number] | undefined;
      for (const head of heads) {
        const candidate = head.page.items[head.taken];
        if (!candidate) continue;
        if (!next || candidate.failedAt > next.page.items[next.taken]!.failedAt) next = head;
      }
      if (!next) break;
      const letter = next.page.items[next.taken]!;
      items.push({ ...letter, service: next.service, ref: `${next.service}:${letter.id}` });
      next.taken += 1;
    }
    const after: DeadLetterCursor = { ...cursor };
    for (const head of heads) {
      const all = head.taken === head.page.items.length;
      if (all && head.page.nextCursor === null) after[head.service] = 'done';
      else if (head.taken > 0) after[head.service] = String(head.page.items[head.taken - 1]!.id);
    }
    const more = (service ? [service] : consumingServices).some((name) => after[name] !== 'done');
    return { items, nextCursor: more ? encodeCursor(after) : null, unavailable };
  }

  async getDeadLetter(service: ConsumingService, deadLetterId: number): Promise<Schemas['OperatorDeadLetterDetail']> {
    const letter = await this.client.getDeadLetter(service, deadLetterId);
    return { ...letter, service, ref: `${service}:${letter.id}` };
  }

  replayDeadLetters(operator: OperatorPrincipal, body: unknown): Promise<Schemas['DeadLetterRefOutcomes']> {
    const { ids } = contractInput<Schemas['DeadLetterRefs']>('operator-api.replayDeadLetters', 'body', body);
    return this.perService(ids, (service, numbers) => this.client.replayDeadLetters(service, numbers, operator));
  }

  discardDeadLetters(operator: OperatorPrincipal, body: unknown): Promise<Schemas['DeadLetterRefOutcomes']> {
    const reason = reasonOf(body);
    const { ids } = contractInput<Schemas['DeadLetterRefsDiscard']>('operator-api.discardDeadLetters', 'body', body);
    return this.perService(ids, (service, numbers) =>
      this.client.discardDeadLetters(service, numbers, reason, operator),
    );
  }

  listParkedPushes(query: {
    district?: string;
    state: 'parked' | 'discarded';
    cursor?: string;
    limit: number;
  }): Promise<Districts['ParkedPushPage']> {
    return this.client.listParkedPushes(query);
  }

  getParkedPush(pushId: number): Promise<Districts['ParkedPushDetail']> {
    return this.client.getParkedPush(pushId);
  }

  replayParkedPushes(operator: OperatorPrincipal, body: unknown): Promise<Districts['ParkedPushOutcomes']> {
    const selection = contractInput<Districts['ParkedPushSelection']>('operator-api.replayParkedPushes', 'body', body);
    return this.client.replayParkedPushes(selection, operator);
  }

  discardParkedPushes(operator: OperatorPrincipal, body: unknown): Promise<Districts['ParkedPushOutcomes']> {
    const reason = reasonOf(body);
    const discard = contractInput<Districts['ParkedPushDiscard']>('operator-api.discardParkedPushes', 'body', body);
    return this.client.discardParkedPushes({ ...discard, reason }, operator);
  }

  /** One call per service for its ids; the outcomes back under the refs, in the order asked. */
  private async perService(
    refs: string[],
    act: (service: ConsumingService, ids: number[]) => Promise<{ results: { id: number; outcome: string }[] }>,
  ): Promise<Schemas['DeadLetterRefOutcomes']> {
    const byService = new Map<ConsumingService, number[]>();
    for (const ref of refs) {
      const [service, id] = ref.split(':') as [ConsumingService, string];
      byService.set(service, [...(byService.get(service) ?? []), Number(id)]);
    }
    const outcomes = new Map<string, Schemas['DeadLetterRefOutcomes']['results'][number]['outcome']>();
    await Promise.all(
      [...byService].map(async ([service, ids]) => {
        const { results } = await act(service, ids);
        for (const result of results) {
          outcomes.set(
            `${service}:${result.id}`,
            result.outcome as Schemas['DeadLetterRefOutcomes']['results'][number]['outcome'],
          );
        }
      }),
    );
    return { results: refs.map((ref) => ({ id: ref, outcome: outcomes.get(ref) ?? 'not_found' })) };
  }
}

/** The reason a discard needs, before anything else is checked: an empty one is `reason_required`. */
function reasonOf(body: unknown): string {
  const reason = (body as { reason?: unknown } | null)?.reason;
  if (typeof reason !== 'string' || reason.trim().length === 0) {
    throw new ProblemException(400, 'reason_required', 'Say why they are discarded');
  }
  return reason.trim();
}
