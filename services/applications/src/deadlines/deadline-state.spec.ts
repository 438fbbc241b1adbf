import { BulgarianCalendar } from '@umg/calendar';
import { deadlineStateOf, deadlineWindow } from './deadline-state';

describe('deadlineStateOf', () => {
  // Monday 1 June 2026, 12:00 Sofia: the due-soon window ends with Wednesday 3 June.
  const window = deadlineWindow(new BulgarianCalendar(), new Date('2026-06-01T09:00:00Z'));
  const application = (changes: Partial<Parameters<typeof deadlineStateOf>[0]>) => ({
    status: 'in_progress',
    dueAt: new Date('2026-06-10T20:59:59.999Z'),
    pausedSince: null,
    termStartsAt: 'submission' as const,
    termStartedAt: new Date('2026-05-29T09:00:00Z'),
    ...changes,
  });

  it('judges a running clock against now and the two-working-day window', () => {
    expect(window.dueSoonUntil.toISOString()).toBe('2026-06-03T20:59:59.999Z');
    expect(deadlineStateOf(application({}), window)).toBe('on_time');
    expect(deadlineStateOf(application({ dueAt: new Date('2026-06-03T20:59:59.999Z') }), window)).toBe('due_soon');
    expect(deadlineStateOf(application({ dueAt: new Date('2026-06-01T08:59:59Z') }), window)).toBe('overdue');
  });

  it('says paused while the clock stands still, even past the due time', () => {
    const pausedSince = new Date('2026-05-30T09:00:00Z');
    expect(deadlineStateOf(application({ status: 'returned_for_corrections', pausedSince }), window)).toBe('paused');
    expect(
      deadlineStateOf(
        application({ status: 'returned_for_corrections', pausedSince, dueAt: new Date('2026-05-31T00:00:00Z') }),
        window,
      ),
    ).toBe('paused');
  });

  it('says not started before payment, and closed once the district owes nothing', () => {
    expect(
      deadlineStateOf(
        application({ status: 'awaiting_payment', termStartsAt: 'payment', termStartedAt: null, dueAt: null }),
        window,
      ),
    ).toBe('not_started');
    expect(deadlineStateOf(application({ status: 'delivered', dueAt: new Date('2026-05-01T00:00:00Z') }), window)).toBe(
      'closed',
    );
  });
});
