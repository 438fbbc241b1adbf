import type { OpenData } from '@umg/contracts';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { submitRouted } from './support/lifecycle';
import { testEnv } from './support/test-env';

type OpenDataStatistics = OpenData.components['schemas']['OpenDataStatistics'];

/** The public open-data files: per district and per service, counts only, small counts suppressed. */
describe('open-data statistics', () => {
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
  const applicants: string[] = [];

  beforeAll(async () => {
    await portal.start();
    // Applications whose applicants must not appear in the files.
    for (let index = 0; index < 2; index += 1) {
      const { submission } = await submitRouted(portal, { districtCode: 'triaditsa' });
      applicants.push(submission.applicant.name, submission.applicant.identifier);
    }
  }, 120_000);

  afterAll(() => portal.stop());

  it('publishes JSON without a sign-in: 24 districts and the services, without personal data', async () => {
    const response = await fetch(`${testEnv.gatewayUrl}/open-data/v1/statistics.json`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const statistics = JSON.parse(text) as OpenDataStatistics;
    expect(statistics.suppressionThreshold).toBe(5);
    expect(statistics.roundingBase).toBe(5);
    expect(statistics.districts).toHaveLength(24);
    expect(statistics.districts.map((district) => district.code)).toContain('triaditsa');
    expect(statistics.services.length).toBeGreaterThan(0);
    for (const row of [...statistics.districts, ...statistics.services]) {
      for (const count of [row.received, row.open, row.closed, row.overdue]) {
        expect(count === null || count === 0 || (count >= 5 && count % 5 === 0)).toBe(true);
      }
    }
    for (const value of applicants) expect(text).not.toContain(value);
    expect(text).not.toMatch(/EGOV-|registrationNumber|applicant/);
  });

  it('publishes the same figures as one CSV table', async () => {
    const response = await fetch(`${testEnv.gatewayUrl}/open-data/v1/statistics.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await response.arrayBuffer());
    // A UTF-8 BOM, so that a spreadsheet reads the Cyrillic names as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text).toContain('Триадица');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'scope,code,name_bg,name_en,received,open,closed,overdue,payment_conversion,delivery_success',
    );
    expect(lines.filter((line) => line.startsWith('district,'))).toHaveLength(24);
    expect(lines.some((line) => line.startsWith('service,'))).toBe(true);
    const json = (await (
      await fetch(`${testEnv.gatewayUrl}/open-data/v1/statistics.json`)
    ).json()) as OpenDataStatistics;
    const triaditsa = json.districts.find((district) => district.code === 'triaditsa')!;
    const row = lines.find((line) => line.startsWith('district,triaditsa,'))!.split(',');
    expect(row[4]).toBe(triaditsa.received === null ? '' : String(triaditsa.received));
  });
});
