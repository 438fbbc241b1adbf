import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { BulgarianCalendar, computeDeadline } from '@umg/calendar';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { axeViolations } from './support/accessibility';
import { openBrowser, screenshotDir, sessionCookie, signIn } from './support/browser';
import { eventually, query } from './support/database';
import { operatorApi } from './support/districts';
import { pkiCommand } from './support/identity';
import { decide, read, submitRouted } from './support/lifecycle';
import { testEnv } from './support/test-env';

// The callbacks given to page.evaluate run in the browser; these are the browser globals they use
// (declared here, not through the DOM library, which would retype fetch and friends in Node code).
interface BrowserElement {
  id: string;
  dataset: Record<string, string | undefined>;
  labels?: { length: number } | null;
  getAttribute(name: string): string | null;
}
declare const document: {
  activeElement: BrowserElement | null;
  querySelectorAll(selector: string): Iterable<BrowserElement>;
};
declare const window: Record<string, unknown>;
declare function getComputedStyle(node: unknown): { color: string; backgroundColor: string };

/**
 * The operator console in Debian's headless Chromium, against the running gateway: what it shows
 * is checked against the districts service's registry and the applications service's tables.
 */
describe('operator console in a browser', () => {
  const suffix = randomUUID().slice(0, 8);
  const accounts = {
    viewer: { username: `console-viewer-${suffix}`, password: `viewer ${randomUUID()}` },
    operator: { username: `console-operator-${suffix}`, password: `operator ${randomUUID()}` },
  };
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    for (const [role, account] of Object.entries(accounts)) {
      expect(
        pkiCommand(['operator', account.username, role], { OPERATOR_PASSWORD: account.password }).output,
      ).toContain(`operator ${account.username}: ${role}`);
    }
    await portal.start();
    browser = await openBrowser();
    context = browser.context;
    page = context.pages()[0] ?? (await context.newPage());
    await signIn(page, accounts.operator.username, accounts.operator.password);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await portal.stop();
  });

  async function openDistrict(code: string): Promise<void> {
    if (await page.locator('#district-view').isVisible()) await page.locator('#back').click();
    await page.locator(`#board .tile[data-district="${code}"]`).click();
    await page.locator(`#district-view[data-district="${code}"]`).waitFor();
  }

  /** The district page's figures as the console shows them (data-value holds the plain number). */
  function figuresOnPage(): Promise<Record<string, string>> {
    return page.evaluate(() => {
      const figures: Record<string, string> = {};
      for (const node of document.querySelectorAll('#district-view [data-figure]')) {
        figures[node.getAttribute('data-figure')!] = node.getAttribute('data-value') ?? '';
      }
      for (const node of document.querySelectorAll('#by-status [data-status]')) {
        figures[`status.${node.getAttribute('data-status')}`] = node.getAttribute('data-value')!;
      }
      return figures;
    });
  }

  /** The same figures straight from the applications service's tables. */
  async function figuresInDatabase(district: string): Promise<Record<string, string>> {
    const closed = ['delivered', 'refused', 'withdrawn', 'awaiting_collection', 'handed_over', 'expired_unpaid'];
    // At risk: due by the end of the second working day from today (the console's default).
    const atRiskUntil = computeDeadline(new BulgarianCalendar(), new Date(), { unit: 'working_days', amount: 2 });
    // One statement (one connection) per look: the probe repeats until the page agrees.
    const [row] = await query<{
      totals: Record<string, number>;
      reached: Record<string, number> | null;
      statuses: Record<string, number> | null;
    }>(
      `SELECT
         (SELECT json_build_object(
                   'total', count(*),
                   'open', count(*) FILTER (WHERE status <> ALL($2::text[])),
                   'overdue', count(*) FILTER (WHERE status <> ALL($2::text[]) AND due_at < now()),
                   'at_risk', count(*) FILTER (WHERE status <> ALL($2::text[]) AND due_at >= now() AND due_at <= $3))
          FROM applications.application WHERE district_code = $1) AS totals,
         (SELECT json_object_agg(to_status, n) FROM (
            SELECT e.to_status, count(DISTINCT e.application_id) AS n
            FROM applications.application_event e JOIN applications.application a ON a.id = e.application_id
            WHERE a.district_code = $1 GROUP BY 1) AS stages) AS reached,
         (SELECT json_object_agg(status, n) FROM (
            SELECT status, count(*) AS n FROM applications.application WHERE district_code = $1 GROUP BY 1) AS now)
           AS statuses`,
      [district, closed, atRiskUntil],
    );
    const { totals, reached, statuses } = row!;
    const stage = (status: string) => String(reached?.[status] ?? 0);
    return {
      total: String(totals.total),
      open: String(totals.open),
      overdue: String(totals.overdue),
      atRisk: String(totals.at_risk),
      'funnel.received': String(totals.total),
      'funnel.registered': stage('registered'),
      'funnel.paid': stage('paid'),
      'funnel.inProgress': stage('in_progress'),
      'funnel.resultReady': stage('result_ready'),
      'funnel.delivered': stage('delivered'),
      payments: `${stage('paid')}/${stage('awaiting_payment')}`,
      ...Object.fromEntries(
        Object.entries(statuses ?? {}).map(([status, count]) => [`status.${status}`, String(count)]),
      ),
    };
  }

  function pick(figures: Record<string, string>, keys: string[]): Record<string, string> {
    return Object.fromEntries(keys.map((key) => [key, figures[key] ?? '']));
  }

  it('shows the 24 districts on the board with the registry’s phases', async () => {
    const registry = await operatorApi<{ code: string; phase: string }[]>('GET', '/internal/v1/districts');
    expect(registry.body).toHaveLength(24);
    const tiles = await page.$$eval('#board .tile', (nodes) =>
      nodes.map((node) => ({ code: node.getAttribute('data-district'), phase: node.getAttribute('data-phase') })),
    );
    expect(tiles).toHaveLength(24);
    expect(tiles).toEqual(registry.body.map(({ code, phase }) => ({ code, phase })));
    // Coloured by phase: a live pilot's tile is not painted like a district not started.
    const colour = (code: string) =>
      page.locator(`#board .tile[data-district="${code}"]`).evaluate((node) => getComputedStyle(node).backgroundColor);
    const notStarted = registry.body.find((district) => district.phase === 'not_started')!.code;
    expect(await colour('serdika')).not.toBe(await colour(notStarted));
    // Text on every tile keeps WCAG AA contrast (4.5:1) against the tile's colour.
    const colours = await page.$$eval('#board .tile', (nodes) =>
      nodes.map((node) => [getComputedStyle(node).color, getComputedStyle(node).backgroundColor]),
    );
    for (const [text, background] of colours) expect(contrast(text!, background!)).toBeGreaterThanOrEqual(4.5);
    await page.screenshot({ path: join(screenshotDir, 'console-board.png'), fullPage: true });
  });

  it('is usable from the keyboard and in English', async () => {
    const serdika = page.locator('#board .tile[data-district="serdika"]');
    await serdika.focus();
    await page.keyboard.press('ArrowRight');
    const moved = await page.evaluate(() => document.activeElement?.dataset.district);
    expect(moved).toBeDefined();
    expect(moved).not.toBe('serdika');
    // Focusing a tile shows its live figures beside the map.
    expect(await page.locator('#tile-figures-title').textContent()).toContain(
      (await page.locator(`#board .tile[data-district="${moved}"] .name`).textContent())!,
    );
    await page.keyboard.press('Enter');
    await page.locator('#district-view').waitFor();
    // The view shows at once; its heading takes focus once the district's page has loaded.
    await page.locator('#district-title:focus').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('district-title');
    await page.locator('#back').click();

    await page.locator('#language').selectOption('en');
    expect(await page.locator('#board-title').textContent()).toBe('Rollout by district');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('#board .tile[data-district="serdika"] .name').textContent()).toBe('Serdika');
    await page.locator('#language').selectOption('bg');
    expect(await page.locator('#board-title').textContent()).toBe('Разгръщане по райони');
    // Every form control has a label.
    const unlabelled = await page.$$eval('input, select', (nodes) =>
      nodes.filter((node) => (node as unknown as BrowserElement).labels?.length === 0).map((node) => node.id),
    );
    expect(unlabelled).toEqual([]);
  });

  it('shows a district’s figures that match the database after a known set of applications', async () => {
    const district = 'bankya';
    await openDistrict(district);
    const before = await eventually(figuresOnPage, (figures) => figures.total !== undefined);

    // Four applications: two stay routed, two are registered by the district (a fee: asked to pay).
    const filed = [];
    for (let index = 0; index < 4; index += 1) {
      filed.push(await submitRouted(portal, { districtCode: district, serviceNumber: 2079 }));
    }
    for (const { applicationId } of filed.slice(0, 2)) {
      const application = await read(district, applicationId);
      const registered = await decide(district, applicationId, 'registration', application.version, {
        registrationNumber: `БНК-${randomUUID().slice(0, 8)}`,
      });
      expect(registered.status).toBe(200);
    }

    // The page follows the city's figures over the event stream; wait until it shows what the
    // database holds (payments may still move an application on meanwhile).
    const keys = [
      'total',
      'open',
      'overdue',
      'atRisk',
      'funnel.received',
      'funnel.registered',
      'funnel.paid',
      'funnel.inProgress',
      'funnel.resultReady',
      'funnel.delivered',
      'payments',
    ];
    let shown: Record<string, string> = {};
    let stored: Record<string, string> = {};
    await eventually(
      async () => {
        shown = await figuresOnPage();
        stored = await figuresInDatabase(district);
        return null;
      },
      () =>
        JSON.stringify(pick(shown, keys)) === JSON.stringify(pick(stored, keys)) &&
        Object.keys(stored)
          .filter((key) => key.startsWith('status.'))
          .every((key) => shown[key] === stored[key]),
      60_000,
    );
    expect(pick(shown, keys)).toEqual(pick(stored, keys));
    expect(Number(shown.total) - Number(before.total)).toBe(4);
    expect(Number(shown['funnel.registered']) - Number(before['funnel.registered'])).toBe(2);
    await page.screenshot({ path: join(screenshotDir, 'console-district.png'), fullPage: true });
  });

  it('shows city-wide volumes, the busiest services and overdue work per district', async () => {
    await page.locator('#to-city').click();
    await page.locator('#volumes-chart svg polyline').first().waitFor();
    const statistics = (await (
      await fetch(`${testEnv.gatewayUrl}/operator/v1/statistics`, { headers: { Cookie: await sessionCookie(context) } })
    ).json()) as { services: { serviceNumber: number }[]; timeline: { received: number }[] };
    expect(statistics.timeline).toHaveLength(24);
    expect(statistics.timeline.reduce((sum, hour) => sum + hour.received, 0)).toBeGreaterThanOrEqual(4);
    expect(await page.locator('#busiest').textContent()).toContain(String(statistics.services[0]!.serviceNumber));
    expect(await page.locator('#overdue-chart [data-figure^="overdue."]').count()).toBe(24);
    expect(await page.locator('#latency-chart svg').getAttribute('aria-labelledby')).toBe('latency-caption');
    await page.screenshot({ path: join(screenshotDir, 'console-city.png'), fullPage: true });
    await page.locator('#to-board').click();
  });

  it('updates the board and a district’s page live, without a reload', async () => {
    const district = 'vrabnitsa';
    // A mark on the window: a reload would wipe it.
    await page.evaluate(() => (window.notReloaded = true));
    const changed = await operatorApi('POST', `/internal/v1/districts/${district}/phase`, {
      phase: 'onboarding',
      reason: `console live update ${suffix}`,
    });
    expect(changed.status).toBe(200);
    await page.locator(`#board .tile[data-district="${district}"][data-phase="onboarding"]`).waitFor();

    await openDistrict(district);
    expect(await page.locator('#district-facts').getAttribute('data-phase')).toBe('onboarding');
    const paused = await operatorApi('POST', `/internal/v1/districts/${district}/phase`, {
      phase: 'suspended',
      reason: `console live update ${suffix}`,
    });
    expect(paused.status).toBe(200);
    await page.locator('#district-facts[data-phase="suspended"]').waitFor();
    expect(await page.evaluate(() => window.notReloaded)).toBe(true);
    await page.locator('#back').click();
  });

  it('lets an operator pause a district from its page, with confirmation, and not a viewer', async () => {
    const district = 'pancharevo';
    await openDistrict(district);
    expect(await page.locator('#action').isVisible()).toBe(true);
    await page.locator('#action-kind').selectOption('suspend');
    const reason = `back office moves ${suffix}`;
    await page.locator('#action-reason').fill(reason);
    await page.locator('#action-submit').click();
    await page.locator('#confirm[open]').waitFor();
    await page.locator('#confirm-ok').click();
    await page.locator('#district-facts[data-phase="suspended"]').waitFor();
    expect(await page.locator('#action-result').textContent()).toBe('Изпълнено');
    expect(await page.locator('#history tbody tr').first().textContent()).toContain(reason);

    const registry = await operatorApi<{ phase: string }>('GET', `/internal/v1/districts/${district}`);
    expect(registry.body.phase).toBe('suspended');
    const audit = await operatorApi<{ actor: string; reason: string }[]>(
      'GET',
      `/internal/v1/districts/${district}/audit`,
    );
    expect(audit.body[0]).toMatchObject({ actor: `operator:${accounts.operator.username}`, reason });

    // The viewer: no action on the page, and the API refuses it.
    await page.locator('#sign-out').click();
    await page.locator('#sign-in').waitFor();
    await signIn(page, accounts.viewer.username, accounts.viewer.password);
    await openDistrict(district);
    expect(await page.locator('#action').isVisible()).toBe(false);
    expect(await page.locator('#action-denied').isVisible()).toBe(true);
    expect(await page.locator('#parked button').count()).toBe(0);
    const refused = await fetch(`${testEnv.gatewayUrl}/operator/v1/districts/${district}/phase`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: await sessionCookie(context) },
      body: JSON.stringify({ phase: 'onboarding', reason: 'viewer tries' }),
    });
    expect(refused.status).toBe(403);
    const pause = await fetch(`${testEnv.gatewayUrl}/operator/v1/districts/${district}/suspension`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: await sessionCookie(context) },
      body: JSON.stringify({ reason: 'viewer tries' }),
    });
    expect(pause.status).toBe(403);
    expect((await operatorApi<{ phase: string }>('GET', `/internal/v1/districts/${district}`)).body.phase).toBe(
      'suspended',
    );

    // The viewer may read the audit: the operator's pause is there under the operator's name,
    // the viewer's refused attempts are not (they never reached an action).
    await page.locator('#to-audit').click();
    await page.locator('#audit-district').selectOption(district);
    await page.locator('#audit-view button[type="submit"]').click();
    const first = page.locator('#audit-table tbody tr').first();
    await first.filter({ hasText: reason }).waitFor();
    expect(await first.textContent()).toContain(accounts.operator.username);
    expect(await first.locator('[data-status]').getAttribute('data-status')).toBe('200');
    expect(await page.locator('#audit-table tbody').textContent()).not.toContain(accounts.viewer.username);
  });

  it('passes axe-core’s WCAG 2.1 AA checks on every view, in both languages', async () => {
    const views: [string, string][] = [
      ['board', '#board .tile'],
      ['city', '#volumes-chart svg'],
      ['district/serdika', '#district-view[data-district="serdika"]'],
      ['audit', '#audit-table'],
      ['applications', '#find-registration'],
    ];
    const found: { view: string; language: string; violations: Awaited<ReturnType<typeof axeViolations>> }[] = [];
    for (const language of ['bg', 'en']) {
      await page.locator('#language').selectOption(language);
      for (const [address, ready] of views) {
        await page.evaluate((hash) => (window.location = `#${hash}` as never), address);
        await page.locator(ready).first().waitFor();
        const violations = await axeViolations(page);
        if (violations.length > 0) found.push({ view: address, language, violations });
      }
    }
    expect(found).toEqual([]);
    await page.locator('#language').selectOption('bg');
  });
});

/** WCAG 2 contrast ratio of two CSS rgb() colours. */
function contrast(first: string, second: string): number {
  const luminance = (colour: string) => {
    const [r, g, b] = colour
      .match(/\d+(\.\d+)?/g)!
      .slice(0, 3)
      .map((part) => {
        const channel = Number(part) / 255;
        return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
      });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a);
  return (light! + 0.05) / (dark! + 0.05);
}
