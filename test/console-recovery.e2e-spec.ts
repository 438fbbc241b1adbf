import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { randomSubmission } from '../tools/simulators/portal/submission-factory';
import { axeViolations } from './support/accessibility';
import { openBrowser, screenshotDir, signIn } from './support/browser';
import { eventually, query } from './support/database';
import { pkiCommand } from './support/identity';
import { testEnv } from './support/test-env';

/**
 * The console's recovery view in Debian's headless Chromium: an operator finds a submission that
 * was dead-lettered while its district's offerings were unknown, inspects it and replays it once
 * the cause is fixed; the application appears once. A viewer sees the list without the actions.
 */
describe('operator console: recovery', () => {
  const suffix = randomUUID().slice(0, 8);
  const accounts = {
    viewer: { username: `recovery-viewer-${suffix}`, password: `viewer ${randomUUID()}` },
    operator: { username: `recovery-operator-${suffix}`, password: `operator ${randomUUID()}` },
  };
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
  const district = 'nadezhda';
  const browsers: Awaited<ReturnType<typeof openBrowser>>[] = [];

  beforeAll(async () => {
    for (const [role, account] of Object.entries(accounts)) {
      expect(
        pkiCommand(['operator', account.username, role], { OPERATOR_PASSWORD: account.password }).output,
      ).toContain(`operator ${account.username}: ${role}`);
    }
    await portal.start();
  }, 120_000);

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await portal.stop();
  });

  async function pageOf(account: { username: string; password: string }): Promise<Page> {
    const browser = await openBrowser();
    browsers.push(browser);
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await signIn(page, account.username, account.password);
    await page.locator('#to-recovery').click();
    await page.locator('#dead-letters').waitFor();
    return page;
  }

  /** A submission dead-lettered for a real reason: its district's offerings are unknown for a moment. */
  async function deadLetteredSubmission(): Promise<{ portalApplicationId: string; ref: string }> {
    const [offering] = await query<Record<string, unknown>>(
      `SELECT district_code, phase, adapter_style, services, version, changed_at FROM applications.district_offering
        WHERE district_code = $1`,
      [district],
    );
    expect(offering).toBeDefined();
    await query('DELETE FROM applications.district_offering WHERE district_code = $1', [district]);
    const submission = randomSubmission({ districtCode: district });
    try {
      await portal.submit(submission);
      const [letter] = await eventually(
        () =>
          query<{ id: string }>(`SELECT id FROM applications.dead_letter WHERE message_key = $1 AND state = 'open'`, [
            submission.portalApplicationId,
          ]),
        (rows) => rows.length === 1,
        60_000,
      );
      return { portalApplicationId: submission.portalApplicationId, ref: `applications:${letter!.id}` };
    } finally {
      await query(
        `INSERT INTO applications.district_offering (district_code, phase, adapter_style, services, version, changed_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6) ON CONFLICT (district_code) DO NOTHING`,
        [
          offering!.district_code,
          offering!.phase,
          offering!.adapter_style,
          JSON.stringify(offering!.services),
          offering!.version,
          offering!.changed_at,
        ],
      );
    }
  }

  it('lets an operator inspect and replay a dead-lettered submission; a viewer sees it without the actions', async () => {
    const { portalApplicationId, ref } = await deadLetteredSubmission();

    const viewer = await pageOf(accounts.viewer);
    await viewer.locator(`#dead-letters tr[data-ref="${ref}"]`).waitFor();
    expect(await viewer.locator('#letters-replay').count()).toBe(0);
    expect(await viewer.locator('#letters-discard').count()).toBe(0);

    const page = await pageOf(accounts.operator);
    const row = page.locator(`#dead-letters tr[data-ref="${ref}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('portal.application-submitted');
    expect(await row.textContent()).toContain('processing_failed');
    await row.locator('button.inspect').click();
    await page.locator('#letter-details').waitFor();
    expect(await page.locator('#letter-details').textContent()).toContain(portalApplicationId);

    await row.locator('input[type="checkbox"]').check();
    await page.locator('#letters-replay').click();
    await page.locator('#confirm[open]').waitFor();
    await page.locator('#confirm-ok').click();
    await eventually(
      async () => (await page.locator('#letters-result').textContent()) ?? '',
      (text) => text.includes(ref),
    );
    expect(await page.locator('#letters-result').textContent()).toContain('повторено');
    await page.screenshot({ path: join(screenshotDir, 'console-recovery.png'), fullPage: true });

    // Consumed through the normal path: the application appears, once.
    const applications = await eventually(
      () =>
        query<{ status: string }>('SELECT status FROM applications.application WHERE portal_application_id = $1', [
          portalApplicationId,
        ]),
      (rows) => rows[0]?.status === 'routed',
      60_000,
    );
    expect(applications).toHaveLength(1);
    // It left the open list the view shows.
    await eventually(
      () => page.locator(`#dead-letters tr[data-ref="${ref}"]`).count(),
      (count) => count === 0,
    );
  });

  it('passes axe-core’s WCAG 2.1 AA checks in both languages', async () => {
    const page = await pageOf(accounts.operator);
    const found: { language: string; violations: Awaited<ReturnType<typeof axeViolations>> }[] = [];
    for (const language of ['bg', 'en']) {
      await page.locator('#language').selectOption(language);
      await page.locator('#recovery-title').waitFor();
      const violations = await axeViolations(page);
      if (violations.length > 0) found.push({ language, violations });
    }
    expect(found).toEqual([]);
  });
});
