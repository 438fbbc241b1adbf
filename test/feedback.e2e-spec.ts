import type { ApplicationsInternal, Feedback, OpenData } from '@umg/contracts';
import { EDeliveryControl } from '../tools/simulators/e-delivery/e-delivery-control';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { eventually } from './support/database';
import { read, throughToResult } from './support/lifecycle';
import { signedInOperator } from './support/operator-session';
import { testEnv } from './support/test-env';

type FeedbackSummary = ApplicationsInternal.components['schemas']['FeedbackSummary'];
type FeedbackCommentList = ApplicationsInternal.components['schemas']['FeedbackCommentList'];
type FeedbackInvitation = Feedback.components['schemas']['FeedbackInvitation'];
type OpenDataFeedback = OpenData.components['schemas']['OpenDataFeedback'];

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`, 'utf8');

/**
 * Issue 21, point 5, end to end on the real broker and database: results delivered through the
 * e-delivery simulator, the link in each final notice, the applicant's form and answer (once), the
 * operators' aggregate and comments, and open data publishing a group only from five answers.
 */
describe('feedback from applicants, from the final notice to open data', () => {
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
  const eDelivery = new EDeliveryControl(testEnv.eDeliveryUrl);
  /** The feedback links of the delivered results: five in Serdika, one in Triaditsa. */
  const links: { district: string; applicationId: string; link: string }[] = [];

  beforeAll(async () => {
    await portal.start();
    const districts = ['serdika', 'serdika', 'serdika', 'serdika', 'serdika', 'triaditsa'];
    // One at a time: the gateway bounds concurrent result uploads (503 beyond its slots).
    const results = [];
    for (const district of districts) results.push(await throughToResult(portal, district, pdf(district)));
    for (const [index, result] of results.entries()) {
      const district = districts[index]!;
      await eventually(
        () => read(district, result.id),
        (application) => application.status === 'delivered',
        60_000,
      );
      const inbox = await eDelivery.inbox(result.applicant.identifier);
      const notice = inbox.find((message) => message.title.startsWith('Резултат'))!;
      const found = notice.text!.match(/https?:\/\/\S+\/feedback\/[A-Za-z0-9_-]{43}/g) ?? [];
      expect(found).toHaveLength(1);
      links.push({ district, applicationId: result.id, link: found[0]! });
    }
  }, 240_000);

  afterAll(() => portal.stop());

  const answer = (link: string, body: unknown) =>
    fetch(link, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('links each final notice to the form, which names the service and district and nothing personal', async () => {
    const { link } = links[0]!;
    expect(link.startsWith(`${testEnv.gatewayUrl}/feedback/`)).toBe(true);
    const page = await fetch(link, { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<html lang="bg">');
    expect(html).toContain('name="rating"');
    for (const part of ['finding_the_service', 'the_form', 'paying', 'waiting', 'the_result', 'other']) {
      expect(html).toContain(`value="${part}"`);
    }
    expect(html).not.toMatch(/EGOV-|РН-/);

    const json = await fetch(link, { headers: { Accept: 'application/json' } });
    expect(json.status).toBe(200);
    expect((await json.json()) as FeedbackInvitation).toMatchObject({
      serviceNumber: 2052,
      districtCode: 'serdika',
      answered: false,
    });
  });

  it('takes one answer per link: the form once, then 409; a bad answer 400; an unknown token 404', async () => {
    const { link } = links[0]!;
    const invalid = await answer(link, { rating: 6, hard: [] });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { code: string }).code).toBe('validation_failed');

    const form = new URLSearchParams([
      ['rating', '2'],
      ['hard', 'paying'],
      ['hard', 'waiting'],
      ['comment', 'Плащането не мина от първия път.'],
    ]);
    const posted = await fetch(link, { method: 'POST', body: form });
    expect(posted.status).toBe(201);
    expect(await posted.text()).toContain('role="status"');

    const again = await answer(link, { rating: 5, hard: [] });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(((await again.json()) as { code: string }).code).toBe('feedback_already_given');
    const againAsForm = await fetch(link, { method: 'POST', body: new URLSearchParams({ rating: '5' }) });
    expect(againAsForm.status).toBe(409);

    const unknown = await answer(`${testEnv.gatewayUrl}/feedback/${'A'.repeat(43)}`, { rating: 3, hard: [] });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe('feedback_invitation_not_found');
    const invitation = (await (
      await fetch(link, { headers: { Accept: 'application/json' } })
    ).json()) as FeedbackInvitation;
    expect(invitation.answered).toBe(true);
  });

  it('shows operators the aggregate beside the delivery time, and the comments to the operator role only', async () => {
    for (const [index, { link }] of links.slice(1).entries()) {
      const answered = await answer(link, { rating: 4 + (index % 2), hard: index === 0 ? ['the_form'] : [] });
      expect(answered.status).toBe(201);
    }
    const viewer = await signedInOperator('viewer', 'feedback');
    const summary = await viewer.call<FeedbackSummary>('GET', '/operator/v1/feedback');
    expect(summary.status).toBe(200);
    const serdika = summary.body.groups.find(
      (group) => group.districtCode === 'serdika' && group.serviceNumber === 2052 && group.lifeEvent === null,
    )!;
    expect(serdika.answers).toBeGreaterThanOrEqual(5);
    expect(serdika.delivered).toBeGreaterThanOrEqual(serdika.answers);
    expect(serdika.medianDeliverySeconds).toEqual(expect.any(Number));
    expect(serdika.ratings.reduce((sum, count) => sum + count, 0)).toBe(serdika.answers);
    expect(serdika.ratings[1]).toBeGreaterThanOrEqual(1);
    expect(serdika.hard.paying).toBeGreaterThanOrEqual(1);
    expect(serdika.hard.the_form).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(summary.body)).not.toContain('Плащането не мина');

    expect((await viewer.call('GET', '/operator/v1/feedback/comments')).status).toBe(403);
    const operator = await signedInOperator('operator', 'feedback');
    const comments = await operator.call<FeedbackCommentList>('GET', '/operator/v1/feedback/comments');
    expect(comments.status).toBe(200);
    expect(comments.body.items).toContainEqual(
      expect.objectContaining({ comment: 'Плащането не мина от първия път.', rating: 2, hard: ['paying', 'waiting'] }),
    );
  });

  it('publishes a group in open data only from five answers, without the comments', async () => {
    const response = await fetch(`${testEnv.gatewayUrl}/open-data/v1/feedback.json`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const data = JSON.parse(text) as OpenDataFeedback;
    expect(data.suppressionThreshold).toBe(5);
    expect(text).not.toContain('Плащането не мина');
    const serdika = data.rows.find((row) => row.districtCode === 'serdika' && row.serviceNumber === 2052)!;
    expect(serdika.answers).toBeGreaterThanOrEqual(5);
    expect(serdika.meanRating).toEqual(expect.any(Number));
    expect(serdika.ratings!.reduce((sum, count) => sum + count, 0)).toBe(serdika.answers);
    const triaditsa = data.rows.find((row) => row.districtCode === 'triaditsa' && row.serviceNumber === 2052)!;
    // One answer in Triaditsa: below the threshold, every figure withheld.
    expect(triaditsa).toMatchObject({ answers: null, meanRating: null, ratings: null, hard: null });
    for (const row of data.rows) expect(row.answers === null || row.answers >= 5).toBe(true);

    const csv = await fetch(`${testEnv.gatewayUrl}/open-data/v1/feedback.csv`);
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'month,service_number,service_name,district_code,life_event,answers,mean_rating,rating_1,rating_2,rating_3,rating_4,rating_5,hard_finding_the_service,hard_the_form,hard_paying,hard_waiting,hard_the_result,hard_other',
    );
    expect(lines.some((line) => line.includes(',serdika,,') && !line.includes(',serdika,,,'))).toBe(true);
  });
});
