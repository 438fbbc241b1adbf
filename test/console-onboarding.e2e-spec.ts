import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { findDistrict } from '@umg/catalogue';
import type { DistrictsInternal } from '@umg/contracts';
import { demoBankDetails } from '../tools/dev/demo-onboarding';
import { openBrowser, screenshotDir, sessionCookie, signIn } from './support/browser';
import { backOffice, backOfficeUrls, operatorApi } from './support/districts';
import { pkiCommand } from './support/identity';
import { testEnv } from './support/test-env';

type DistrictService = DistrictsInternal.components['schemas']['DistrictService'];
interface OperatorAction {
  operator: string;
  route: string;
  status: number;
  request: Record<string, unknown> | null;
}

/**
 * Issue 17, done means: an administrator onboards a new push district end to end in the console
 * (Chromium) — profile, secret, bank details, e-delivery identity, a conformance run watched step
 * by step, pilot, two services — and every step is audited under their name.
 */
describe('console: onboarding a push district in a browser', () => {
  // Used by no other test: it goes from not_started to pilot here.
  const code = 'poduyane';
  const account = { username: `console-admin-${randomUUID().slice(0, 8)}`, password: `admin ${randomUUID()}` };
  const secret = `console-${randomBytes(24).toString('hex')}`;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let page: Page;

  beforeAll(async () => {
    expect(
      pkiCommand(['operator', account.username, 'administrator'], { OPERATOR_PASSWORD: account.password }).output,
    ).toContain(`operator ${account.username}: administrator`);
    browser = await openBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await signIn(page, account.username, account.password);
  }, 120_000);

  afterAll(async () => {
    await backOffice.setMode('json', code, 'ok');
    await browser?.close();
  });

  /** Fills a form's fields, submits it and confirms in the console's dialog. */
  async function submitConfirmed(form: string, fields: Record<string, string>, reason: string): Promise<void> {
    for (const [id, value] of Object.entries(fields)) {
      const field = page.locator(`#${id}`);
      if ((await field.evaluate((node) => node.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
    await page.locator(`#${form} input[id$="-reason"]`).fill(reason);
    await page.locator(`#${form} button[type="submit"]`).click();
    await page.locator('#confirm[open]').waitFor();
    await page.locator('#confirm-ok').click();
  }

  async function changeDistrictPhase(phase: string): Promise<void> {
    await submitConfirmed('onb-district-phase-form', { 'onb-district-phase': phase }, `onboarding: ${phase}`);
    await page.locator(`#onb-phase[data-phase="${phase}"]`).waitFor();
  }

  it('takes a district from not started to pilot with two services', async () => {
    await page.goto(`${testEnv.gatewayUrl}/console/#onboarding/${code}`);
    await page.locator('#onb-profile[data-style="pull"]').waitFor();

    await submitConfirmed(
      'onb-profile-form',
      { 'onb-style': 'push_json', 'onb-endpoint': `${backOfficeUrls.json}/json/${code}/applications` },
      'the back office takes JSON pushes',
    );
    await page.locator('#onb-profile[data-style="push_json"]').waitFor();

    await submitConfirmed('onb-secret-form', { 'onb-secret': secret }, 'the secret agreed with the district');
    await page.locator('#onb-secret-state[data-version="1"]').waitFor();
    // Never shown again: not on the page, not in its form.
    expect(await page.content()).not.toContain(secret);
    await backOffice.setSecret('json', code, secret);

    const bank = demoBankDetails(findDistrict(code)!.no);
    await submitConfirmed(
      'onb-bank-form',
      { 'onb-iban': bank.iban, 'onb-bic': bank.bic, 'onb-bank-name': bank.bankName },
      'confirmed by the district',
    );
    await page.locator('#onb-bank[data-placeholder="false"]').waitFor();

    await submitConfirmed(
      'onb-edelivery-form',
      { 'onb-unit': '0006963270077', 'onb-key-ref': code },
      'the district’s unit in e-delivery',
    );
    await page.locator('#onb-edelivery', { hasText: '0006963270077' }).waitFor();

    await changeDistrictPhase('onboarding');

    // Each exchange takes 600 ms: the steps are seen changing while the run goes.
    await backOffice.setMode('json', code, 'slow', 600);
    await page.locator('#onb-run').click();
    await page.locator('#onb-steps[data-status="running"] tr[data-state="running"]').waitFor();
    await page.locator('#onb-steps[data-status="passed"]').waitFor({ timeout: 20_000 });
    await backOffice.setMode('json', code, 'ok');
    expect(await page.locator('#onb-steps tbody tr[data-state="passed"]').count()).toBe(3);

    await changeDistrictPhase('pilot');

    const services = (await operatorApi<DistrictService[]>('GET', `/internal/v1/districts/${code}/service-phases`))
      .body;
    const chosen = services.filter((service) => service.catalogueGaps.length === 0).slice(0, 2);
    for (const service of chosen) {
      await submitConfirmed(
        'onb-service-form',
        { 'onb-service': String(service.serviceNumber), 'onb-service-phase': 'pilot' },
        'first services of the pilot',
      );
      await page.locator(`#onb-services tr[data-service="${service.serviceNumber}"][data-phase="pilot"]`).waitFor();
    }
    // One with a gap is refused on the page, with its code.
    const gap = services.find((service) => service.catalogueGaps.length > 0);
    if (gap) {
      await submitConfirmed(
        'onb-service-form',
        { 'onb-service': String(gap.serviceNumber), 'onb-service-phase': 'pilot' },
        'try one the catalogue cannot support',
      );
      await page.locator('#onb-error', { hasText: 'service_not_enableable' }).waitFor();
    }
    await page.screenshot({ path: join(screenshotDir, 'console-onboarding.png'), fullPage: true });

    // The registry agrees, and every step is in both audits under the administrator's name.
    const district = await operatorApi<{ phase: string }>('GET', `/internal/v1/districts/${code}`);
    expect(district.body.phase).toBe('pilot');
    const registryAudit = await operatorApi<{ actor: string; change: string }[]>(
      'GET',
      `/internal/v1/districts/${code}/audit`,
    );
    const changes = registryAudit.body
      .filter((entry) => entry.actor === `operator:${account.username}`)
      .map((entry) => entry.change);
    for (const change of ['profile', 'secret', 'e_delivery', 'phase', 'service_enablement']) {
      expect(changes).toContain(change);
    }
    const actions = await fetch(`${testEnv.gatewayUrl}/operator/v1/audit?districtCode=${code}&limit=200`, {
      headers: { Cookie: await sessionCookie(browser.context) },
    });
    const items = ((await actions.json()) as { items: OperatorAction[] }).items.filter(
      (item) => item.operator === account.username,
    );
    for (const route of ['profile', 'secret', 'payee', 'e-delivery', 'conformance-runs', 'phase', 'service-phases']) {
      expect([route, items.some((item) => item.route.includes(`/${route}`))]).toEqual([route, true]);
    }
    expect(JSON.stringify(items)).not.toContain(secret);
  });
});
