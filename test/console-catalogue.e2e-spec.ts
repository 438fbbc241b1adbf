import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openBrowser, screenshotDir, signIn } from './support/browser';
import { eventually, query } from './support/database';
import { pkiCommand } from './support/identity';

// Browser globals the callbacks given to page.evaluate use (not the DOM library's types in Node code).
interface BrowserElement {
  id: string;
  labels?: { length: number } | null;
}
interface AxeResults {
  violations: { id: string; nodes: { target: string[] }[] }[];
}
declare const window: { axe: { run(context: unknown, options: unknown): Promise<AxeResults> } };
declare const document: { querySelector(selector: string): unknown; activeElement: BrowserElement | null };

/**
 * The console's fees page in Debian's headless Chromium: a service's catalogue facts with their
 * sources, the fee in force, and an administrator scheduling and cancelling a change from a date;
 * what it shows and does is checked against the payments service's table and the operator audit.
 */
describe('operator console: fees', () => {
  const suffix = randomUUID().slice(0, 8);
  const accounts = {
    viewer: { username: `fees-viewer-${suffix}`, password: `viewer ${randomUUID()}` },
    administrator: { username: `fees-admin-${suffix}`, password: `administrator ${randomUUID()}` },
  };
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let page: Page;

  beforeAll(async () => {
    for (const [role, account] of Object.entries(accounts)) {
      expect(
        pkiCommand(['operator', account.username, role], { OPERATOR_PASSWORD: account.password }).output,
      ).toContain(`operator ${account.username}: ${role}`);
    }
    browser = await openBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await signIn(page, accounts.administrator.username, accounts.administrator.password);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function openFees(serviceNumber: number): Promise<void> {
    await page.locator('#to-fees').click();
    await page.locator('#fee-service').fill(String(serviceNumber));
    await page.locator('#fee-find button[type="submit"]').click();
    await page.locator(`#fees-view[data-service="${serviceNumber}"]`).waitFor();
  }

  async function axeViolations(): Promise<AxeResults['violations']> {
    // Evaluated over the DevTools protocol: the console's CSP rightly refuses an injected script tag.
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const results = await page.evaluate(() =>
      window.axe.run(document.querySelector('#fees-view'), { runOnly: ['wcag2a', 'wcag2aa'] }),
    );
    return results.violations;
  }

  it('shows a service’s catalogue facts with their sources, what it lacks, and the fee in force', async () => {
    await openFees(2016);
    expect(await page.locator('#fee-facts [data-figure="gaps"]').getAttribute('data-value')).toBe('');
    const regular = page.locator('#fee-catalogue tr[data-urgency="regular"]');
    expect(await regular.locator('td').nth(1).textContent()).toBe('7 days');
    expect(await regular.locator('a').count()).toBeGreaterThan(0);
    const inForce = await page.$$eval('#fee-in-force td[data-amount]', (cells) =>
      cells.map((cell) => cell.getAttribute('data-amount')),
    );
    expect(inForce).toEqual(expect.arrayContaining(['256', '383', '511']));

    // A service whose fee no source gives: named as missing, and no change can be scheduled.
    await openFees(90033);
    expect(await page.locator('#fee-facts [data-figure="gaps"]').getAttribute('data-value')).toContain('fee_unknown');
    expect(await page.locator('#fee-schedule').count()).toBe(0);
    await page.screenshot({ path: join(screenshotDir, 'console-fees-unknown.png'), fullPage: true });
  });

  it('lets an administrator schedule a change from a date and cancel it, both audited with the name', async () => {
    await openFees(2016);
    await page.locator('#fee-urgency').selectOption('express');
    await page.locator('#fee-district').selectOption('slatina');
    await page.locator('#fee-amount').fill('6.10');
    await page.locator('#fee-currency').selectOption('EUR');
    await page.locator('#fee-effective').fill('2099-06-01');
    await page.locator('#fee-reason').fill('ordinance draft for 2099');
    await page.locator('#fee-schedule-submit').click();
    await page.locator('#fee-scheduled td[data-amount="610"]').waitFor();
    expect(await page.locator('#fee-result').textContent()).not.toBe('');

    const [stored] = await query<{ id: string; changed_by: string; effective_from: Date; reason: string }>(
      `SELECT id, changed_by, effective_from, reason FROM payments.fee_change
        WHERE service_number = 2016 AND urgency = 'express' AND district_code = 'slatina' AND amount_minor = 610`,
    );
    expect(stored).toMatchObject({ changed_by: accounts.administrator.username, reason: 'ordinance draft for 2099' });
    // The date is 00:00 Sofia time (summer: UTC+3).
    expect(stored!.effective_from.toISOString()).toBe('2099-05-31T21:00:00.000Z');
    await page.screenshot({ path: join(screenshotDir, 'console-fees-scheduled.png'), fullPage: true });

    // A date in the past is refused by the payments service; the console shows the stable code.
    await page.locator('#fee-urgency').selectOption('regular');
    await page.locator('#fee-amount').fill('3.00');
    await page.locator('#fee-effective').fill('2020-01-01');
    await page.locator('#fee-reason').fill('a change that is too late');
    await page.locator('#fee-schedule-submit').click();
    await eventually(
      () => page.locator('#fee-problem').textContent(),
      (text) => (text ?? '').includes('fee_effective_in_past'),
    );

    await page.locator('#fee-cancel-reason').fill('the council withdrew the draft');
    await page.locator(`#fee-scheduled tr[data-change="${stored!.id}"] button`).click();
    await page.locator('#confirm-ok').click();
    await page.locator(`#fee-scheduled tr[data-change="${stored!.id}"]`).waitFor({ state: 'detached' });
    const [cancelled] = await query<{ cancelled_by: string; cancel_reason: string }>(
      `SELECT cancelled_by, cancel_reason FROM payments.fee_change WHERE id = $1`,
      [stored!.id],
    );
    expect(cancelled).toEqual({
      cancelled_by: accounts.administrator.username,
      cancel_reason: 'the council withdrew the draft',
    });
    expect(await page.locator(`#fee-history tr[data-change="${stored!.id}"]`).textContent()).toContain(
      'the council withdrew the draft',
    );

    const audited = await eventually(
      () =>
        query<{ route: string }>(`SELECT route FROM gateway.operator_action WHERE operator = $1 ORDER BY id`, [
          accounts.administrator.username,
        ]),
      (rows) => rows.length >= 3,
    );
    expect(audited.map((row) => row.route).join(' ')).toMatch(/fee-changes.*cancel/);
  });

  it('keeps the page accessible: labelled controls, a focused heading, no axe violations', async () => {
    await openFees(2016);
    await page.locator('#to-fees').click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('fees-title');
    const unlabelled = await page.$$eval('#fees-view input, #fees-view select', (nodes) =>
      nodes.filter((node) => (node as unknown as BrowserElement).labels?.length === 0).map((node) => node.id),
    );
    expect(unlabelled).toEqual([]);
    expect(await axeViolations()).toEqual([]);
  });

  it('shows a viewer the fees without the administrator’s actions', async () => {
    const viewer = await openBrowser();
    try {
      const viewerPage = viewer.context.pages()[0] ?? (await viewer.context.newPage());
      await signIn(viewerPage, accounts.viewer.username, accounts.viewer.password);
      await viewerPage.locator('#to-fees').click();
      await viewerPage.locator('#fee-service').fill('2016');
      await viewerPage.locator('#fee-find button[type="submit"]').click();
      await viewerPage.locator('#fees-view[data-service="2016"]').waitFor();
      expect(await viewerPage.locator('#fee-schedule').count()).toBe(0);
      expect(await viewerPage.locator('#fee-scheduled button').count()).toBe(0);
      expect(await viewerPage.locator('#fee-admin-only').isVisible()).toBe(true);
    } finally {
      await viewer.close();
    }
  });
});
