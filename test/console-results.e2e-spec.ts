import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { Application } from '@umg/contracts';
import { EDeliveryControl } from '../tools/simulators/e-delivery/e-delivery-control';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { axeViolations } from './support/accessibility';
import { openBrowser, sessionCookie, signIn } from './support/browser';
import { eventually } from './support/database';
import { pkiCommand } from './support/identity';
import { read, throughToResult as throughToResultOf } from './support/lifecycle';
import { testEnv } from './support/test-env';

const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`, 'utf8');

/**
 * The console's application pages in Chromium: an operator finds an application by its
 * registration number, replaces the result e-delivery stopped, and records a desk handover; both
 * steps land on the application's timeline and in the audit with the operator's name.
 */
describe('console: finding an application, replacing a blocked result, handing over at the desk', () => {
  const suffix = randomUUID().slice(0, 8);
  const account = { username: `console-results-${suffix}`, password: `operator ${randomUUID()}` };
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
  const eDelivery = new EDeliveryControl(testEnv.eDeliveryUrl);
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let page: Page;

  beforeAll(async () => {
    expect(
      pkiCommand(['operator', account.username, 'operator'], { OPERATOR_PASSWORD: account.password }).output,
    ).toContain(`operator ${account.username}: operator`);
    await portal.start();
    browser = await openBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await signIn(page, account.username, account.password);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await portal.stop();
  });

  /** Through to the result's outcome in Triaditsa (a pull district, through its API). */
  async function throughToResult(content: Buffer, options: { registered?: boolean } = {}): Promise<Application> {
    const ready = await throughToResultOf(portal, 'triaditsa', content, {
      registrationNumber: `ТР-${suffix}-${randomUUID().slice(0, 4)}`,
      ...(options.registered === false ? { withoutProfile: eDelivery } : {}),
    });
    return eventually(
      () => read('triaditsa', ready.id),
      (application) => application.status !== 'result_ready',
    );
  }

  async function auditedBy(path: string): Promise<{ operator: string; status: number; request: unknown }[]> {
    const response = await fetch(`${testEnv.gatewayUrl}/operator/v1/audit?operator=${account.username}&limit=50`, {
      headers: { Cookie: await sessionCookie(browser.context) },
    });
    const { items } = (await response.json()) as {
      items: { operator: string; path: string; status: number; request: unknown }[];
    };
    return items.filter((item) => item.path === path);
  }

  it('finds a blocked result by its registration number and uploads the replacement', async () => {
    const blocked = await throughToResult(pdf(EICAR));
    expect(blocked.status).toBe('result_blocked');

    await page.locator('#to-applications').click();
    await page.locator('#find-registration').fill(` ${blocked.registrationNumber!.toLowerCase()} `);
    await page.locator('#find-submit').click();
    const row = page.locator(`#found tr[data-application="${blocked.id}"]`);
    await row.waitFor();
    expect(await page.locator('#found tbody tr').count()).toBe(1);
    await row.locator('a').click();

    await page.locator('#application-status[data-status="result_blocked"]').waitFor();
    expect(await page.locator('#blocked-reason').textContent()).toContain('document_malicious');
    expect(await axeViolations(page)).toEqual([]);

    await page.locator('#replacement-file').setInputFiles({
      name: 'udostoverenie-novo.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('Удостоверение, ново'),
    });
    await page.locator('#replacement-submit').click();
    await page.locator('#confirm[open]').waitFor();
    await page.locator('#confirm-ok').click();
    // Delivery may already have taken the replacement by the time the page reloads it.
    await page
      .locator('#application-status[data-status="result_ready"], #application-status[data-status="delivered"]')
      .waitFor();
    expect(await page.locator('#application-result').textContent()).not.toContain('(');
    expect(await page.locator('#application-documents tbody tr').count()).toBe(2);

    const delivered = await eventually(
      () => read('triaditsa', blocked.id),
      (application) => application.status === 'delivered',
    );
    expect(delivered.timeline.find((entry) => entry.actor.kind === 'operator')).toMatchObject({
      fromStatus: 'result_blocked',
      toStatus: 'result_ready',
      actor: { id: account.username },
    });
    expect(await auditedBy(`/operator/v1/applications/${blocked.id}/result`)).toEqual([
      expect.objectContaining({ operator: account.username, status: 200 }),
    ]);
  });

  it('records the handover of a result waiting at the desk, masked on the page', async () => {
    const waiting = await throughToResult(pdf('Удостоверение'), { registered: false });
    expect(waiting.status).toBe('awaiting_collection');

    await page.goto(`${testEnv.gatewayUrl}/console/#application/${waiting.id}`);
    await page.locator('#application-status[data-status="awaiting_collection"]').waitFor();
    await page.locator('#handover-name').fill('Петър Петров');
    await page.locator('#handover-id-type').selectOption('EGN');
    await page.locator('#handover-id').fill('8003150020');
    await page.locator('#handover-submit').click();
    await page.locator('#confirm[open]').waitFor();
    await page.locator('#confirm-ok').click();
    await page.locator('#application-status[data-status="handed_over"]').waitFor();
    const record = await page.locator('#handover-record').textContent();
    expect(record).toContain('Петър Петров');
    expect(record).toContain('******0020');
    expect(await page.content()).not.toContain('8003150020');
    expect(await page.locator('#handover-form').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    expect((await read('triaditsa', waiting.id)).handover).toMatchObject({
      handedOverBy: account.username,
      recipient: { name: 'Петър Петров', identifier: '8003150020' },
    });
    const audited = await auditedBy(`/operator/v1/applications/${waiting.id}/handover`);
    expect(audited).toEqual([expect.objectContaining({ operator: account.username, status: 200 })]);
    // The audit keeps the recipient's identifier masked, as the page shows it.
    expect(audited[0]!.request).toMatchObject({ recipient: { identifier: '******0020' } });
  });
});
