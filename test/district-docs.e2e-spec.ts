import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import type * as DistrictApiClientPackage from '../clients/district-api/src';
import { addOAuthClient } from '../tools/pki/oauth-client-file';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { openBrowser, screenshotDir } from './support/browser';
import { overMutualTls, pki } from './support/identity';
import { submitRouted } from './support/lifecycle';
import { testEnv } from './support/test-env';

interface OpenApiDocument {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, { operationId?: string }>>;
}

const methods = ['get', 'put', 'post', 'delete', 'patch'];
const operationsOf = (document: OpenApiDocument) =>
  Object.entries(document.paths)
    .flatMap(([path, item]) =>
      methods.filter((method) => item[method]).map((method) => `${method.toUpperCase()} ${path}`),
    )
    .sort();
const sourceContract = YAML.parse(
  readFileSync(join(__dirname, '../contracts/openapi/district-api.yaml'), 'utf8'),
) as OpenApiDocument;

/**
 * The onboarding kit for district IT: the API reference served by the gateway at /docs, the
 * bundled contract, and the TypeScript client packed from it, used as district IT would use it.
 */
describe('district API docs and client (/docs)', () => {
  it('serves the reference page without a sign-in, under the same strict CSP as the rest of the gateway', async () => {
    const page = await fetch(`${testEnv.gatewayUrl}/docs`);
    expect(page.status).toBe(200);
    expect(page.url).toBe(`${testEnv.gatewayUrl}/docs/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('vendor/swagger-ui/swagger-ui-bundle.js');
    // No inline script: every <script> has a src.
    expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
    const policy = page.headers.get('content-security-policy')!;
    expect(policy).toContain("script-src 'self'");
    expect(/script-src [^;]*unsafe/.test(policy)).toBe(false);
    // The very policy of the API's own answers: /docs made no exception for itself.
    const api = await fetch(`${testEnv.gatewayUrl}/open-data/v1/statistics.json`);
    expect(api.headers.get('content-security-policy')).toBe(policy);

    // The renderer's files come from this origin; nothing else of its package is served.
    expect((await fetch(`${testEnv.gatewayUrl}/docs/vendor/swagger-ui/swagger-ui-bundle.js`)).status).toBe(200);
    expect((await fetch(`${testEnv.gatewayUrl}/docs/vendor/swagger-ui/index.html`)).status).toBe(404);
    const unknown = await fetch(`${testEnv.gatewayUrl}/docs/no-such-file`);
    expect([unknown.status, unknown.headers.get('content-type')]).toEqual([
      404,
      expect.stringContaining('problem+json'),
    ]);

    const walkthrough = await fetch(`${testEnv.gatewayUrl}/docs/district-onboarding.md`);
    expect(walkthrough.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await walkthrough.text()).toContain('## 3. The conformance run');
    expect(html).toContain('href="district-onboarding.md"');

    // District IT reaches it on the internet-facing listener, before it has a certificate.
    const overTls = await overMutualTls<string>('/docs/district-api.json');
    expect(overTls.status).toBe(200);
    expect(overTls.contentType).toContain('application/json');
  });

  it('serves the contract bundled as YAML and JSON: every operation of the source, no $ref to another file', async () => {
    const yamlAnswer = await fetch(`${testEnv.gatewayUrl}/docs/district-api.yaml`);
    expect(yamlAnswer.status).toBe(200);
    const fromYaml = YAML.parse(await yamlAnswer.text()) as OpenApiDocument;
    const jsonText = await (await fetch(`${testEnv.gatewayUrl}/docs/district-api.json`)).text();
    const fromJson = JSON.parse(jsonText) as OpenApiDocument;
    expect(fromJson).toEqual(fromYaml);
    expect(fromJson.openapi).toBe(sourceContract.openapi);
    expect(operationsOf(fromJson)).toEqual(operationsOf(sourceContract));
    expect(operationsOf(fromJson)).toContain('GET /v1/applications');
    const refs = [...jsonText.matchAll(/"\$ref":\s*"([^"]*)"/g)].map((match) => match[1]!);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((ref) => !ref.startsWith('#/'))).toEqual([]);
  });

  it('renders the reference in a browser: every operation of the contract listed, no CSP violation, no other host', async () => {
    const { context, close } = await openBrowser();
    try {
      const page = await context.newPage();
      const complaints: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.text().includes('favicon')) complaints.push(message.text());
      });
      page.on('pageerror', (error) => complaints.push(error.message));
      const elsewhere: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(`${testEnv.gatewayUrl}/`)) elsewhere.push(request.url());
      });
      await page.goto(`${testEnv.gatewayUrl}/docs/`);
      const operations = operationsOf(sourceContract);
      await page
        .locator('.opblock')
        .nth(operations.length - 1)
        .waitFor({ timeout: 60_000 });
      expect(await page.locator('.opblock').count()).toBe(operations.length);
      const shown = await page
        .locator('.opblock')
        .evaluateAll((blocks) =>
          blocks.map(
            (block) =>
              `${block.querySelector('.opblock-summary-method')?.textContent?.trim()} ${block
                .querySelector('.opblock-summary-path')
                ?.getAttribute('data-path')}`,
          ),
        );
      expect(shown.sort()).toEqual(operations);
      await page.screenshot({ path: join(screenshotDir, 'district-docs.png') });
      expect(complaints).toEqual([]);
      expect(elsewhere).toEqual([]);
    } finally {
      await close();
    }
  });

  describe('the TypeScript client, installed from the tarball the gateway serves', () => {
    const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
    const project = mkdtempSync(join(tmpdir(), 'umg-district-it-'));
    let kit: typeof DistrictApiClientPackage;
    let applicationId: string;
    let credentials: { clientId: string; clientSecret: string };

    beforeAll(async () => {
      await portal.start();
      applicationId = (
        await submitRouted(portal, { districtCode: 'triaditsa', serviceNumber: 2052, urgency: 'regular' })
      ).applicationId;
      // The district's sandbox credentials: an OAuth client as the gateway team creates it.
      const clientId = `triaditsa-kit-${randomUUID().slice(0, 8)}`;
      credentials = {
        clientId,
        clientSecret: await addOAuthClient(pki.oauthClients, {
          clientId,
          districtCode: 'triaditsa',
          scopes: ['applications:read', 'applications:write'],
        }),
      };

      // As `npm install <gateway>/docs/client/district-api-client.tgz` lays it out: the package
      // under node_modules, its one dependency beside it (linked from this repository's
      // node_modules, so the test needs no registry).
      const tarball = await fetch(`${testEnv.gatewayUrl}/docs/client/district-api-client.tgz`);
      expect(tarball.status).toBe(200);
      const file = join(project, 'district-api-client.tgz');
      writeFileSync(file, Buffer.from(await tarball.arrayBuffer()));
      const installed = join(project, 'node_modules', '@sofia-umg', 'district-api-client');
      mkdirSync(installed, { recursive: true });
      execFileSync('tar', ['-xzf', file, '-C', installed, '--strip-components=1']);
      symlinkSync(join(__dirname, '../node_modules/openapi-fetch'), join(project, 'node_modules', 'openapi-fetch'));
      const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
        name: string;
        version: string;
        types: string;
      };
      expect(manifest).toMatchObject({ name: '@sofia-umg/district-api-client', version: sourceContract.info.version });
      expect(existsSync(join(installed, manifest.types))).toBe(true);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      kit = require(installed) as typeof DistrictApiClientPackage;
    }, 120_000);

    afterAll(async () => {
      await portal.stop();
      rmSync(project, { recursive: true, force: true });
    });

    it('makes the first call with the district’s OAuth client: a token, then its list of applications', async () => {
      const api = kit.createDistrictApiClient({ baseUrl: testEnv.gatewayUrl, credentials });
      // Oldest first: page on until the new application (other tests leave theirs in the list).
      let listed: { id: string; version: number } | undefined;
      let cursor: string | undefined;
      do {
        const { data } = await api.GET('/v1/applications', {
          params: { query: { status: ['routed'], limit: 100, ...(cursor && { cursor }) } },
        });
        listed = data!.items.find((item) => item.id === applicationId);
        cursor = data!.nextCursor ?? undefined;
      } while (!listed && cursor);
      expect(listed).toBeDefined();
      expect(api.etagOf(applicationId)).toBe(`"${listed!.version}"`);

      // A step with neither Idempotency-Key nor If-Match written by the caller: the client adds both.
      const registrationNumber = `ТРД-${randomUUID().slice(0, 8)}`;
      const { data: registered } = await api.POST('/v1/applications/{applicationId}/registration', {
        params: { path: { applicationId } },
        body: { registrationNumber },
      });
      expect(registered).toMatchObject({ id: applicationId, status: 'registered', registrationNumber });
      expect(api.etagOf(applicationId)).toBe(`"${registered!.version}"`);
    });

    it('types a consumer’s code by the contract: a known path compiles, an unknown one does not', () => {
      writeFileSync(
        join(project, 'consumer.ts'),
        `import { createDistrictApiClient, DistrictApiProblem } from '@sofia-umg/district-api-client';
export async function registerAll(): Promise<void> {
  const api = createDistrictApiClient({ baseUrl: 'https://gateway', credentials: { clientId: 'a', clientSecret: 'b' } });
  const { data } = await api.GET('/v1/applications', { params: { query: { status: ['routed'] } } });
  for (const item of data?.items ?? []) {
    try {
      await api.POST('/v1/applications/{applicationId}/registration', {
        params: { path: { applicationId: item.id } },
        body: { registrationNumber: 'X-1' },
      });
    } catch (error) {
      if (!(error instanceof DistrictApiProblem && error.code === 'version_mismatch')) throw error;
    }
  }
  // @ts-expect-error not a path of the contract
  await api.GET('/v1/nothing');
  // @ts-expect-error the registration needs a number
  await api.POST('/v1/applications/{applicationId}/registration', { params: { path: { applicationId: 'x' } }, body: {} });
}
`,
      );
      // A consumer's own settings: DOM types for fetch, no @types/node, nothing of this repository.
      writeFileSync(
        join(project, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: { strict: true, module: 'commonjs', target: 'ES2022', lib: ['ES2022', 'DOM'], types: [] },
          files: ['consumer.ts'],
        }),
      );
      const tsc = join(__dirname, '../node_modules/typescript/bin/tsc');
      expect(() =>
        execFileSync(process.execPath, [tsc, '--noEmit', '-p', project], { encoding: 'utf8' }),
      ).not.toThrow();
    }, 120_000);

    it('throws the gateway’s problems as DistrictApiProblem with their stable codes', async () => {
      const api = kit.createDistrictApiClient({ baseUrl: testEnv.gatewayUrl, credentials });
      const missing = await api
        .GET('/v1/applications/{applicationId}', { params: { path: { applicationId: randomUUID() } } })
        .catch((error: unknown) => error);
      expect(missing).toBeInstanceOf(kit.DistrictApiProblem);
      expect(missing).toMatchObject({ status: 404, code: 'application_not_found' });

      const stale = await api
        .POST('/v1/applications/{applicationId}/processing', {
          params: { path: { applicationId }, header: { 'If-Match': '"1"' } },
          body: {},
        })
        .catch((error: unknown) => error);
      expect(stale).toMatchObject({ status: 412, code: 'version_mismatch' });

      const wrongSecret = kit.createDistrictApiClient({
        baseUrl: testEnv.gatewayUrl,
        credentials: { clientId: credentials.clientId, clientSecret: 'not-the-secret' },
      });
      const refused = await wrongSecret.GET('/v1/applications').catch((error: unknown) => error);
      expect(refused).toMatchObject({ status: 401, code: 'invalid_client' });
    });
  });
});
