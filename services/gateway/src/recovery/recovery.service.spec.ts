import { ProblemException } from '@umg/problem';
import { decodeCursor } from './dead-letter-cursor';
import type { ConsumingService, DeadLetterPage, DeadLetterQuery, RecoveryClient } from './recovery.client';
import { RecoveryService } from './recovery.service';

type Letter = DeadLetterPage['items'][number];

function letter(id: number, failedAt: string): Letter {
  return { id, failedAt } as Letter;
}

/** The services' own answers (an HTTP client at the edge of this unit); payments is down. */
function client(down: ProblemException): { client: RecoveryClient; asked: [ConsumingService, DeadLetterQuery][] } {
  const asked: [ConsumingService, DeadLetterQuery][] = [];
  const pages: Record<ConsumingService, DeadLetterPage> = {
    applications: { items: [letter(7, '2026-12-06T10:00:02Z')], nextCursor: null },
    payments: { items: [], nextCursor: null },
    delivery: { items: [letter(3, '2026-12-06T10:00:01Z')], nextCursor: null },
    districts: { items: [], nextCursor: null },
  };
  const fake = {
    listDeadLetters: (service: ConsumingService, query: DeadLetterQuery) => {
      asked.push([service, query]);
      return service === 'payments' ? Promise.reject(down) : Promise.resolve(pages[service]);
    },
  };
  return { client: fake as unknown as RecoveryClient, asked };
}

describe('RecoveryService.listDeadLetters', () => {
  it('shows the dead letters of the services that answer and names the one that did not', async () => {
    const unreachable = new ProblemException(503, 'upstream_unavailable', 'A gateway service is not reachable');
    const { client: recovery } = client(unreachable);
    const page = await new RecoveryService(recovery).listDeadLetters({ limit: 50 });
    expect(page.items.map((item) => item.ref)).toEqual(['applications:7', 'delivery:3']);
    expect(page.unavailable).toEqual(['payments']);
    // The others are done; payments is asked again, from where it was, by the next page.
    expect(decodeCursor(page.nextCursor!)).toEqual({ applications: 'done', delivery: 'done', districts: 'done' });

    const { client: again, asked } = client(unreachable);
    const next = await new RecoveryService(again).listDeadLetters({ limit: 50, cursor: page.nextCursor! });
    expect(asked.map(([service]) => service)).toEqual(['payments']);
    expect(next.items).toEqual([]);
    expect(next.unavailable).toEqual(['payments']);
  });

  it('still refuses what a service refuses (a 4xx is the operator’s to fix, not an outage)', async () => {
    const refused = new ProblemException(400, 'validation_failed', 'The request is not valid');
    const { client: recovery } = client(refused);
    await expect(new RecoveryService(recovery).listDeadLetters({ limit: 50 })).rejects.toBe(refused);
  });
});
