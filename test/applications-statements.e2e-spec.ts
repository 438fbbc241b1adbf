import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { findCatalogueService } from '@umg/catalogue';
import { createLogger } from '@umg/logging';
import { Outbox } from '@umg/messaging';
import { ensureDatabase, postgresOptions, runMigrations } from '@umg/persistence';
import { ApplicationRepository } from '../services/applications/src/application/application.repository';
import { ApplicationEntity } from '../services/applications/src/application/application.entity';
import { districtScope, type DistrictScope } from '../services/applications/src/application/district-scope';
import { applicationsDatabase } from '../services/applications/src/database';
import { WorkingCalendar } from '../services/applications/src/calendar/working-calendar';
import { DeadlineClock } from '../services/applications/src/deadlines/deadline-clock';
import { ApplicationLifecycle } from '../services/applications/src/lifecycle/application-lifecycle';
import { ApplicationView } from '../services/applications/src/read/application-view';
import { GetApplicationService } from '../services/applications/src/read/get-application.service';
import { ListApplicationsService } from '../services/applications/src/read/list-applications.service';
import { DistrictDecisionRunner } from '../services/applications/src/district-decisions/district-decision-runner';
import { RegisterApplicationService } from '../services/applications/src/district-decisions/register-application.service';
import { StartProcessingService } from '../services/applications/src/district-decisions/start-processing.service';
import { SubmitResultService } from '../services/applications/src/district-decisions/submit-result.service';
import { RefuseApplicationService } from '../services/applications/src/district-decisions/refuse-application.service';
import { ReturnForCorrectionsService } from '../services/applications/src/district-decisions/return-for-corrections.service';
import { RecordPaymentOutcomeService } from '../services/applications/src/payment-outcomes/record-payment-outcome.service';
import { RecordDeliveryOutcomeService } from '../services/applications/src/delivery-outcomes/record-delivery-outcome.service';
import { OpenFeedbackInvitationService } from '../services/applications/src/feedback/open-feedback-invitation.service';
import { ApplyBackOfficeDecisionService } from '../services/applications/src/back-office-decisions/apply-back-office-decision.service';
import type { AnsweredDocumentsClient } from '../services/applications/src/back-office-decisions/answered-documents.client';
import { ReadApplicationChangesService } from '../services/applications/src/application-changes/read-application-changes.service';
import type { ChangeWakeups } from '../services/applications/src/application-changes/change-wakeups';
import { counted, countStatements, stopCountingStatements } from './support/statement-counter';

/**
 * SQL statements (client round trips) the applications service spends per transition and per
 * read, counted at the `pg` client against a database of its own: the hot paths stay at the
 * numbers below (issue 19). Each Kafka path runs inside a transaction standing for the consumer's,
 * whose own statements (BEGIN, inbox row, COMMIT) are not counted here.
 */
const baseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/umg_test';
const url = baseUrl.replace(/\/([^/]*)$/, (_whole, name: string) => `/${name}_statements`);

/**
 * The most statements each step may take, with what it took before issue 19's work (main at
 * 82b14a0) in the comment. A Kafka step's figure leaves out the consumer's own statements.
 */
const budget = {
  'HTTP register (routed → registered → awaiting_payment)': 8, // was 16
  'Kafka payment pending (no transition)': 2, // was 3
  'Kafka payment paid (→ paid, the term starts)': 3, // was 7
  'HTTP start processing (→ in_progress)': 6, // was 12
  'HTTP submit result (→ result_ready, document)': 7, // was 13
  'Kafka delivery delivered (→ delivered)': 4, // was 6; + the feedback invitation (issue 21)
  'GET one application': 1, // was 6
  'Kafka back-office register (→ registered)': 3, // was 13
  'Kafka back-office start processing (→ in_progress)': 3, // was 13
  'Kafka back-office submit result (→ result_ready, document)': 4, // was 14
  'Kafka back-office repeated decision (no change)': 1, // was 4
  'Kafka back-office return for corrections (→ returned, the clock stops)': 4, // was 14
  'Intake: the deadline of a paid application (its term runs from payment)': 0, // was 1
  'GET district list (status=routed)': 1, // was 2
  'GET changes feed (a page)': 1, // was 1
  'GET changes feed (empty poll)': 1, // was 2
};
type Step = keyof typeof budget;

const report: Partial<Record<Step, number>> = {};

/** Records a step's statements and holds it to its budget (listing them when over). */
function spent(step: Step, seen: string[]): void {
  report[step] = seen.length;
  // Over budget, the failure lists the step and every statement it ran.
  expect(seen.length <= budget[step] ? [] : [step, ...seen]).toEqual([]);
}
const backOfficePdf = Buffer.from('%PDF-1.7 back office');

describe('applications: SQL statements per transition and per read', () => {
  const logger = createLogger('statements', 'silent');
  let dataSource: DataSource;
  let scope: DistrictScope;
  let lifecycle: ApplicationLifecycle;
  let registration: RegisterApplicationService;
  let processing: StartProcessingService;
  let results: SubmitResultService;
  let payments: RecordPaymentOutcomeService;
  let deliveries: RecordDeliveryOutcomeService;
  let backOffice: ApplyBackOfficeDecisionService;
  let getApplication: GetApplicationService;
  let listApplications: ListApplicationsService;
  let changes: ReadApplicationChangesService;
  let clock: DeadlineClock;

  beforeAll(async () => {
    await ensureDatabase(url);
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query('DROP SCHEMA IF EXISTS applications CASCADE');
    await admin.end();
    dataSource = new DataSource(
      postgresOptions({ url, poolSize: 4, applicationName: 'statements', ...applicationsDatabase }),
    );
    await dataSource.initialize();
    await runMigrations(dataSource, 'applications');
    scope = districtScope('serdika')!;
    const outbox = new Outbox('applications', 'urn:umg:service:applications');
    const calendars = new WorkingCalendar(dataSource);
    clock = new DeadlineClock(calendars);
    lifecycle = new ApplicationLifecycle(outbox, clock);
    const repository = new ApplicationRepository();
    const view = new ApplicationView(calendars);
    const runner = new DistrictDecisionRunner(dataSource, repository, view);
    registration = new RegisterApplicationService(runner, lifecycle);
    processing = new StartProcessingService(runner, lifecycle);
    results = new SubmitResultService(runner, lifecycle);
    payments = new RecordPaymentOutcomeService(repository, lifecycle, calendars, logger);
    deliveries = new RecordDeliveryOutcomeService(
      lifecycle,
      new OpenFeedbackInvitationService({
        FEEDBACK_TOKEN_SECRET: 'statements-feedback-secret-000000',
        FEEDBACK_VALID_DAYS: 30,
      }),
      logger,
    );
    const documents = { fetch: () => Promise.resolve(backOfficePdf) };
    backOffice = new ApplyBackOfficeDecisionService(
      runner,
      registration,
      new ReturnForCorrectionsService(runner, lifecycle),
      new RefuseApplicationService(runner, lifecycle),
      processing,
      results,
      documents as unknown as AnsweredDocumentsClient,
      logger,
    );
    getApplication = new GetApplicationService(dataSource, view);
    listApplications = new ListApplicationsService(dataSource, calendars);
    const wakeups = {
      subscribe: () => Promise.resolve({ wait: () => Promise.resolve(), close: () => undefined }),
    };
    changes = new ReadApplicationChangesService(dataSource, wakeups as unknown as ChangeWakeups);
    countStatements();
  }, 60_000);

  afterAll(async () => {
    stopCountingStatements();
    console.log(`statements per step (client round trips)\n${JSON.stringify(report, null, 2)}`);
    await dataSource?.destroy();
  });

  /**
   * A routed application as intake leaves it: by default of a paid service (a certificate of heirs,
   * 2016: a fee, its term from payment); 2052 (a birth certificate) is free, its term from submission.
   */
  async function routedApplication(serviceNumber = 2016): Promise<ApplicationEntity> {
    const service = findCatalogueService(serviceNumber)!;
    const receivedAt = new Date();
    return dataSource.transaction(async (manager) => {
      const application = Object.assign(new ApplicationEntity(), {
        id: randomUUID(),
        portalApplicationId: `STMT-${randomUUID()}`,
        serviceReferenceNumber: 'REF-1',
        serviceNumber: service.serviceNumber,
        serviceName: service.nameBg,
        districtCode: scope.districtCode,
        urgency: 'regular',
        registrationNumber: null,
        applicant: { identifierType: 'EGN', identifier: '8001010000', name: 'Иван Петров' },
        representative: null,
        deliveryChannel: 'e_delivery',
        eDeliveryProfileId: 'profile-1',
        formData: { purpose: 'statements' },
        submittedAt: receivedAt,
        receivedAt,
        overdueAt: null,
        dueSoonAt: null,
        conformanceRunId: null,
        updatedAt: receivedAt,
        ...(await clock.start(manager, service, 'regular', receivedAt, serviceNumber === 2016)),
      });
      await lifecycle.open(manager, application, { kind: 'portal', id: 'egov.bg' });
      await manager.query(
        `INSERT INTO applications.attachment (id, application_id, portal_attachment_id, file_name, media_type, size, sha256, content)
         VALUES ($1, $2, 'a-1', 'zayavlenie.pdf', 'application/pdf', 3, 'abc', '\\x010203')`,
        [randomUUID(), application.id],
      );
      return lifecycle.transition(manager, application, {
        to: 'routed',
        actor: { kind: 'system', id: 'applications' },
        at: receivedAt,
      });
    });
  }

  /** Work inside a transaction standing for a Kafka consumer's: only the work's own statements are counted. */
  async function inConsumerTransaction(work: (manager: EntityManager) => Promise<unknown>): Promise<string[]> {
    let seen: string[] = [];
    await dataSource.transaction(async (manager) => {
      seen = (await counted(() => work(manager))).statements;
    });
    return seen;
  }

  const district = { kind: 'district' as const, id: 'serdika:api-key:statements' };
  const pdf = Buffer.from('%PDF-1.7 result');
  const resultMetadata = {
    kind: 'result' as const,
    fileName: 'udostoverenie.pdf',
    mediaType: 'application/pdf' as const,
    sha256: createHash('sha256').update(pdf).digest('hex'),
  };

  it('runs a paid lifecycle through the district API, payments and delivery in few statements', async () => {
    const application = await routedApplication();
    const id = application.id;

    const registered = await counted(() =>
      registration.register(scope, id, application.version, district, { registrationNumber: `СРД-${id}` }),
    );
    spent('HTTP register (routed → registered → awaiting_payment)', registered.statements);
    expect(registered.result.status).toBe('awaiting_payment');

    const paymentRequestId = randomUUID();
    const payment = {
      paymentRequestId,
      applicationId: id,
      districtCode: scope.districtCode,
      amountMinor: 256,
      currency: 'EUR',
      aisPaymentId: 'ais-1',
      changedAt: new Date().toISOString(),
    };
    spent(
      'Kafka payment pending (no transition)',
      await inConsumerTransaction((manager) => payments.record(manager, { ...payment, status: 'pending' } as never)),
    );
    const paid = await inConsumerTransaction((manager) =>
      payments.record(manager, { ...payment, status: 'paid' } as never),
    );
    spent('Kafka payment paid (→ paid, the term starts)', paid);

    const afterPaid = await getApplication.get(scope, id);
    expect(afterPaid.status).toBe('paid');
    expect(afterPaid.deadline?.termStartedAt).not.toBeNull();

    const started = await counted(() => processing.start(scope, id, afterPaid.version, district, {}));
    spent('HTTP start processing (→ in_progress)', started.statements);

    const result = await counted(() =>
      results.submit(scope, id, started.result.version, district, resultMetadata, pdf),
    );
    spent('HTTP submit result (→ result_ready, document)', result.statements);
    expect(result.result.documents).toHaveLength(1);

    const delivered = await inConsumerTransaction((manager) =>
      deliveries.record(manager, {
        deliveryId: randomUUID(),
        applicationId: id,
        districtCode: scope.districtCode,
        noticeKind: 'result',
        status: 'delivered',
        changedAt: new Date().toISOString(),
      } as never),
    );
    spent('Kafka delivery delivered (→ delivered)', delivered);

    const got = await counted(() => getApplication.get(scope, id));
    spent('GET one application', got.statements);
    expect(got.result.status).toBe('delivered');
    expect(got.result.timeline.map((entry) => entry.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(got.result.timeline.map((entry) => entry.toStatus)).toEqual([
      'received',
      'routed',
      'registered',
      'awaiting_payment',
      'paid',
      'in_progress',
      'result_ready',
      'delivered',
    ]);
    expect(got.result.attachments).toHaveLength(1);
    expect(got.result.version).toBe(8);
  });

  it('applies back-office decisions in few statements', async () => {
    const application = await routedApplication(2052);
    const decision = {
      applicationId: application.id,
      districtCode: scope.districtCode,
      backOfficeReference: 'BO-1',
      decidedAt: new Date().toISOString(),
    };
    const apply = (details: object) =>
      inConsumerTransaction((manager) =>
        backOffice.apply(manager, { ...decision, ...details } as never, 'back-office'),
      );
    spent(
      'Kafka back-office register (→ registered)',
      await apply({ decision: 'register', registrationNumber: `BO-${application.id}` }),
    );
    spent('Kafka back-office start processing (→ in_progress)', await apply({ decision: 'start_processing' }));
    spent(
      'Kafka back-office submit result (→ result_ready, document)',
      await apply({
        decision: 'submit_result',
        result: {
          ...resultMetadata,
          documentId: randomUUID(),
          sha256: createHash('sha256').update(backOfficePdf).digest('hex'),
        },
      }),
    );
    spent('Kafka back-office repeated decision (no change)', await apply({ decision: 'start_processing' }));
    const view = await getApplication.get(scope, application.id);
    expect(view.timeline.map((entry) => entry.toStatus)).toEqual([
      'received',
      'routed',
      'registered',
      'in_progress',
      'result_ready',
    ]);
    expect(view.documents).toHaveLength(1);

    const returned = await routedApplication(2052);
    spent(
      'Kafka back-office return for corrections (→ returned, the clock stops)',
      await inConsumerTransaction((manager) =>
        backOffice.apply(
          manager,
          { ...decision, applicationId: returned.id, decision: 'return_for_corrections', reasons: [] } as never,
          'back-office',
        ),
      ),
    );
    const paused = await getApplication.get(scope, returned.id);
    expect(paused.status).toBe('returned_for_corrections');
    expect(paused.deadline?.pausedSince).not.toBeNull();
    expect(paused.deadline?.pauses).toHaveLength(1);
  });

  it('reads no calendar for the deadline of an application whose term waits for payment', async () => {
    const service = findCatalogueService(2016)!;
    const started = await counted(() => clock.start(dataSource.manager, service, 'regular', new Date(), true));
    spent('Intake: the deadline of a paid application (its term runs from payment)', started.statements);
    expect(started.result).toMatchObject({ termStartsAt: 'payment', termStartedAt: null, dueAt: null });
  });

  it('lists and follows a district in one statement each', async () => {
    const listed = await counted(() => listApplications.list(scope, { status: ['routed'], limit: 50 }));
    spent('GET district list (status=routed)', listed.statements);
    const feed = await counted(() => changes.read(scope, { wait: 0, limit: 100 }));
    spent('GET changes feed (a page)', feed.statements);
    expect(feed.result.items.length).toBeGreaterThan(0);
    const empty = await counted(() => changes.read(scope, { wait: 0, limit: 100, after: feed.result.nextCursor }));
    spent('GET changes feed (empty poll)', empty.statements);
    expect(empty.result.items).toEqual([]);
  });
});
