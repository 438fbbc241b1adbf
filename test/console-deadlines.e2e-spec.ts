import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { BulgarianCalendar, computeDeadline, IsoDate, SofiaTime } from '@umg/calendar';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { axeViolations } from './support/accessibility';
import { openBrowser, sessionCookie, signIn } from './support/browser';
import { eventually, query } from './support/database';
import { pkiCommand } from './support/identity';
import { read, submitRouted } from './support/lifecycle';
import { testEnv } from './support/test-env';

const sevenWorkingDays = { unit: 'working_days', amount: 7 } as const;

/**
 * The console's deadlines view in Chromium: an administrator enters a day moved by decree and sees
 * an open application's due time move at once, then deletes the day with a reason and sees it move
 * back; both steps are in the audit with the administrator's name.
 */
describe('console: deadlines and decree days in a browser', () => {
  const suffix = randomUUID().slice(0, 8);
  const administrator = { username: `console-admin-${suffix}`, password: `administrator ${randomUUID()}` };
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let page: Page;

  beforeAll(async () => {
    expect(
      pkiCommand(['operator', administrator.username, 'administrator'], { OPERATOR_PASSWORD: administrator.password })
        .output,
    ).toContain(`operator ${administrator.username}: administrator`);
    await portal.start();
    browser = await openBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await signIn(page, administrator.username, administrator.password);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await portal.stop();
  });

  async function calendarNow(): Promise<BulgarianCalendar> {
    const days = (await (
      await fetch(`${testEnv.gatewayUrl}/operator/v1/calendar/decree-days`, {
        headers: { Cookie: await sessionCookie(browser.context) },
      })
    ).json()) as { date: string; kind: string; deletedAt: string | null }[];
    const inForce = days.filter((day) => day.deletedAt === null);
    return new BulgarianCalendar({
      extraDaysOff: inForce.filter((day) => day.kind === 'day_off').map((day) => day.date),
      extraWorkingDays: inForce.filter((day) => day.kind === 'working_day').map((day) => day.date),
    });
  }

  it('enters a decree day and shows an application’s deadline move, then deletes it with a reason', async () => {
    const calendar = await calendarNow();
    // An application whose 7-working-day term ends with the next working day: due soon, listed.
    const nextWorkingDay = calendar.addWorkingDays(SofiaTime.dateOf(new Date()), 1);
    const started = SofiaTime.fromLocalMs(
      IsoDate.toUtcMs(calendar.addWorkingDays(nextWorkingDay, -7)) + 12 * 3_600_000,
    );
    const { applicationId } = await submitRouted(portal, { districtCode: 'nadezhda', serviceNumber: 2052 });
    const dueBefore = computeDeadline(calendar, started, sevenWorkingDays);
    expect(SofiaTime.dateOf(dueBefore)).toBe(nextWorkingDay);
    // Filed a week ago, as far as its term goes.
    await query(`UPDATE applications.application SET term_started_at = $2, due_at = $3 WHERE id = $1`, [
      applicationId,
      started,
      dueBefore,
    ]);

    await page.locator('#to-deadlines').click();
    const row = page.locator(`#deadline-alerts tr[data-application-id="${applicationId}"]`);
    await row.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('deadlines-title');
    expect(await row.locator('td[data-due-at]').getAttribute('data-due-at')).toBe(dueBefore.toISOString());

    // The next working day becomes a day off by decree.
    const reference = `РМС № ${Math.floor(Math.random() * 900) + 100}/2026`;
    await page.locator('#decree-date').fill(nextWorkingDay);
    await page.locator('#decree-kind').selectOption('day_off');
    await page.locator('#decree-reference').fill(reference);
    await page.locator('#decree-day-form button[type="submit"]').click();
    await page.locator('#decree-status').filter({ hasText: /\d/ }).waitFor();
    const dueAfter = computeDeadline(await calendarNow(), started, sevenWorkingDays);
    expect(dueAfter.getTime()).toBeGreaterThan(dueBefore.getTime());
    await eventually(
      () => row.locator('td[data-due-at]').getAttribute('data-due-at'),
      (shown) => shown === dueAfter.toISOString(),
      10_000,
    );
    expect((await read('nadezhda', applicationId)).deadline!.dueAt).toBe(dueAfter.toISOString());
    const decreeRow = page.locator(`#decree-days tr[data-decree-day="${nextWorkingDay}"][data-deleted="no"]`);
    expect(await decreeRow.textContent()).toContain(reference);
    expect(await decreeRow.textContent()).toContain(administrator.username);
    expect(await axeViolations(page)).toEqual([]);

    // Deleted with a reason, after a confirmation: the due time is back.
    await decreeRow.locator('input').fill('the decision was revoked');
    await decreeRow.locator('button.delete-decree-day').click();
    await page.locator('#confirm-ok').click();
    await eventually(
      () => row.locator('td[data-due-at]').getAttribute('data-due-at'),
      (shown) => shown === dueBefore.toISOString(),
      10_000,
    );
    expect(
      // This test's row: other specs may have entered and deleted the same day under other decrees.
      await page
        .locator(`#decree-days tr[data-decree-day="${nextWorkingDay}"]`, { hasText: reference })
        .getAttribute('data-deleted'),
    ).toBe('yes');
    const audit = await page.locator('#calendar-audit tbody').textContent();
    expect(audit).toContain(administrator.username);
    expect(audit).toContain('the decision was revoked');
    // The gateway's audit of operator actions names the administrator too.
    const actions = (await (
      await fetch(`${testEnv.gatewayUrl}/operator/v1/audit?operator=${administrator.username}&limit=50`, {
        headers: { Cookie: await sessionCookie(browser.context) },
      })
    ).json()) as { items: { method: string; path: string; status: number }[] };
    expect(actions.items.map((item) => `${item.method} ${item.path.replace(/\d+$/, 'N')}`)).toEqual(
      expect.arrayContaining(['POST /operator/v1/calendar/decree-days', 'DELETE /operator/v1/calendar/decree-days/N']),
    );
  });
});

// The callbacks given to page.evaluate run in the browser.
declare const document: { activeElement: { id: string } | null };
