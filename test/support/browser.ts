import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { testEnv } from './test-env';

/** Where the test run writes screenshots (gitignored). */
export const screenshotDir = join(__dirname, '../../test-results');

/**
 * Debian's chromium (never a downloaded browser), headless, in a fresh profile that nothing else
 * uses and that is deleted on close; no network of its own beyond the pages it is sent to.
 */
export async function openBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'umg-console-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1400, height: 1000 },
  });
  mkdirSync(screenshotDir, { recursive: true });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the console's own form and waits for the board. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${testEnv.gatewayUrl}/console/`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('#sign-in button[type="submit"]').click();
  await page.locator('#board .tile').nth(23).waitFor();
}

/** The session cookie the console holds, for calling the API as the same operator. */
export async function sessionCookie(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies(testEnv.gatewayUrl)).find((c) => c.name === '__Host-umg-operator-session');
  if (!cookie) throw new Error('no operator session in the browser');
  return `${cookie.name}=${cookie.value}`;
}
