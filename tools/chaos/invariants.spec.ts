import { generateKeyPairSync } from 'node:crypto';
import {
  chainHash,
  type ChainedRecord,
  ExchangeLogSigner,
  GENESIS_HASH,
  publicKeysOf,
  signHead,
} from '@umg/exchange-log';
import { type ChaosSnapshot, checkInvariants, exitStatus, invariantsTable } from './invariants';

const keys = generateKeyPairSync('ed25519');
const signer = new ExchangeLogSigner(keys.privateKey);
const publicKeys = publicKeysOf([keys.publicKey.export({ type: 'spki', format: 'pem' })]);
const applicationId = '6f1c3c1e-0000-4000-8000-000000000001';
// The run's application is the first part of a life-event bundle (issue 21), filed under the part's id.
const portalId = 'LE-1/register-current-address';

function exchangeLog(length: number): ChainedRecord[] {
  const records: ChainedRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const record = {
      occurredAt: new Date(Date.UTC(2026, 10, 27, 8, 0, seq)),
      party: 'portal',
      direction: 'inbound' as const,
      operation: 'kafka portal.application-submitted',
      requestId: `m-${seq}`,
      requestHash: 'a'.repeat(64),
      outcome: 'processed',
    };
    const hash = chainHash(prevHash, seq, record);
    records.push({ ...record, seq, prevHash, hash, keyId: signer.keyId, signature: signer.sign(hash) });
    prevHash = hash;
  }
  return records;
}

/** One paid application delivered the whole way, one poison message, as a clean run leaves them. */
function cleanRun(): ChaosSnapshot {
  const steps: [string, string][] = [
    ['received', 'portal'],
    ['routed', 'system'],
    ['registered', 'district'],
    ['awaiting_payment', 'system'],
    ['paid', 'system'],
    ['in_progress', 'district'],
    ['result_ready', 'district'],
    ['delivered', 'system'],
  ];
  return {
    submissions: [{ portalApplicationId: portalId, script: 'delivered' }],
    acceptedDecisions: [{ applicationId, step: 'registration', toStatus: 'registered' }],
    applications: [{ id: applicationId, portalApplicationId: portalId, status: 'delivered', version: 8 }],
    events: steps.map(([toStatus, actorKind], index) => ({
      applicationId,
      sequence: index + 1,
      fromStatus: index === 0 ? null : steps[index - 1]![0],
      toStatus,
      actorKind,
    })),
    paymentRequests: [{ id: 'p1', applicationId, applicationSequence: 4, aisPaymentId: 'UMG-1', status: 'paid' }],
    paymentSystem: [{ aisPaymentId: 'UMG-1' }],
    deliveries: [
      { id: 'd1', applicationId, noticeKind: 'registration_notice', eventSequence: 3, status: 'delivered' },
      { id: 'd3', applicationId, noticeKind: 'payment_notice', eventSequence: 4, status: 'delivered' },
      { id: 'd2', applicationId, noticeKind: 'result', eventSequence: 7, status: 'delivered' },
    ],
    eDeliveryMessages: [{ registrationNumber: 'd1' }, { registrationNumber: 'd3' }, { registrationNumber: 'd2' }],
    portalHeard: [1, 2, 3, 4, 4, 5, 6, 7, 8].map((sequence) => ({ applicationId, sequence })),
    poison: [{ messageId: 'poison-1', groups: ['umg.payments', 'umg.delivery'] }],
    deadLetters: [
      { consumerGroup: 'umg.payments', messageId: 'poison-1' },
      { consumerGroup: 'umg.delivery', messageId: 'poison-1' },
    ],
    exchangeLogs: [{ schema: 'applications', records: exchangeLog(3), publicKeys }],
    exchangeLogHeads: [],
    bundleParts: [
      { requestId: 'LE-1', partKey: 'register-current-address', state: 'done', dependsOn: [], applicationId },
      {
        requestId: 'LE-1',
        partKey: 'permanent-address-history',
        state: 'failed',
        dependsOn: [],
        applicationId: null,
      },
    ],
  };
}

function violationsOf(snapshot: ChaosSnapshot): Record<string, string[]> {
  return Object.fromEntries(
    checkInvariants(snapshot)
      .filter((result) => result.violations.length > 0)
      .map((result) => [result.name, result.violations]),
  );
}

describe('chaos invariant checker', () => {
  it('finds nothing wrong in a clean run, and exits 0', () => {
    const results = checkInvariants(cleanRun());
    expect(results.flatMap((result) => result.violations)).toEqual([]);
    expect(results.every((result) => result.checked > 0)).toBe(true);
    expect(exitStatus(results)).toBe(0);
  });

  it('reports a second payment notice for one payment request', () => {
    const run = cleanRun();
    run.deliveries.push({
      id: 'd4',
      applicationId,
      noticeKind: 'payment_notice',
      eventSequence: 4,
      status: 'delivered',
    });
    run.eDeliveryMessages.push({ registrationNumber: 'd4' });
    expect(violationsOf(run)['exactly one delivery per notice, each delivered once']).toEqual([
      `${applicationId}/payment_notice/4: 2 deliveries`,
    ]);
  });

  it('reports a doubled payment request, and exits non-zero', () => {
    const run = cleanRun();
    run.paymentRequests.push({
      id: 'p2',
      applicationId,
      applicationSequence: 4,
      aisPaymentId: 'UMG-2',
      status: 'paid',
    });
    run.paymentSystem.push({ aisPaymentId: 'UMG-2' });
    const results = checkInvariants(run);
    expect(violationsOf(run)['exactly one payment request per fee attempt']).toEqual([
      `${applicationId} asked for payment at 4: 2 payment requests`,
      `${applicationId} was paid with 2 paid payment requests`,
    ]);
    expect(exitStatus(results)).toBe(1);
    expect(invariantsTable(results)).toContain('✗ 6f1c3c1e-0000-4000-8000-000000000001 asked for payment at 4');
  });

  it('reports a request the payment system created twice', () => {
    const run = cleanRun();
    run.paymentSystem.push({ aisPaymentId: 'UMG-1' });
    expect(violationsOf(run)['exactly one payment request per fee attempt']).toEqual([
      'payment request UMG-1 exists 2 times at the payment system',
    ]);
  });

  it('reports an out-of-order timeline and a status the portal heard out of order', () => {
    const run = cleanRun();
    // paid and in_progress swapped: in_progress then paid is no transition of the lifecycle.
    run.events[4] = { ...run.events[4]!, toStatus: 'in_progress', actorKind: 'district' };
    run.events[5] = { ...run.events[5]!, fromStatus: 'in_progress', toStatus: 'paid', actorKind: 'system' };
    run.portalHeard = [1, 2, 3, 5, 4, 6, 7, 8].map((sequence) => ({ applicationId, sequence }));
    const violations = violationsOf(run)['per-application event order kept'];
    expect(violations).toEqual(
      expect.arrayContaining([
        `${applicationId} #6: in_progress → paid is no transition`,
        `${applicationId} #7: from in_progress, but it was paid`,
        `the portal heard ${applicationId} #4 after #5`,
      ]),
    );
    expect(exitStatus(checkInvariants(run))).toBe(1);
  });

  it('reports a missing application and a lost district decision', () => {
    const run = cleanRun();
    run.submissions.push({ portalApplicationId: 'EGOV-2', script: 'refused' });
    run.acceptedDecisions.push({ applicationId, step: 'refusal', toStatus: 'refused' });
    expect(violationsOf(run)['no accepted request lost']).toEqual([
      'accepted submission EGOV-2 has no application',
      `accepted refusal of ${applicationId} is not in its timeline (refused)`,
    ]);
    expect(exitStatus(checkInvariants(run))).toBe(1);
  });

  it('reports an application left short of its scripted state', () => {
    const run = cleanRun();
    run.submissions[0] = { portalApplicationId: portalId, script: 'refused' };
    expect(violationsOf(run)['every application reached the state its script implies']).toEqual([
      `${applicationId} (refused) is delivered, expected refused`,
    ]);
  });

  it('reports a notice delivered twice and a delivery that never settled', () => {
    const run = cleanRun();
    run.eDeliveryMessages.push({ registrationNumber: 'd2' });
    run.deliveries[0] = { ...run.deliveries[0]!, status: 'waiting_for_retry' };
    expect(violationsOf(run)['exactly one delivery per notice, each delivered once']).toEqual([
      `${applicationId}/registration_notice/3: delivery is waiting_for_retry`,
      `${applicationId}/result/7: delivery d2 is 2 messages in e-delivery`,
    ]);
  });

  it('reports a good message dead-lettered and a poison message that was not', () => {
    const run = cleanRun();
    run.deadLetters = [
      { consumerGroup: 'umg.payments', messageId: 'poison-1' },
      { consumerGroup: 'umg.applications', messageId: 'good-1' },
    ];
    expect(violationsOf(run)['poison messages dead-lettered, and nothing else']).toEqual([
      'poison message poison-1 dead-lettered 0 times by umg.delivery',
      '1 good message(s) dead-lettered: umg.applications/good-1',
    ]);
  });

  it('reports an altered exchange log record', () => {
    const run = cleanRun();
    run.exchangeLogs[0]!.records[1] = { ...run.exchangeLogs[0]!.records[1]!, outcome: 'rejected' };
    expect(violationsOf(run)['exchange log chains verify']).toEqual([
      'applications: record 2 was altered: its link does not recompute',
    ]);
  });

  it('reports exchange-log records lost from the end of a chain against a head witnessed during the run', () => {
    const run = cleanRun();
    const records = run.exchangeLogs[0]!.records;
    run.exchangeLogHeads = [signHead(signer, { service: 'applications', seq: 3, hash: records[2]!.hash })];
    expect(violationsOf(run)['exchange log chains verify']).toBeUndefined();
    run.exchangeLogs[0]!.records = records.slice(0, 2);
    expect(violationsOf(run)['exchange log chains verify']).toEqual([
      expect.stringMatching(/^applications: the log ends at 2, but head 3 was witnessed/),
    ]);
    expect(exitStatus(checkInvariants(run))).toBe(1);
  });

  it('reports a bundle part filed twice, a part left waiting for a done one and one still filed after it ended', () => {
    const run = cleanRun();
    const twin = '6f1c3c1e-0000-4000-8000-000000000002';
    run.applications.push({ id: twin, portalApplicationId: portalId, status: 'received', version: 0 });
    run.bundleParts!.push({
      requestId: 'LE-1',
      partKey: 'current-address-certificate',
      state: 'waiting',
      dependsOn: ['register-current-address'],
      applicationId: null,
    });
    expect(violationsOf(run)['bundles: no part doubled, orphaned or left hanging']).toEqual([
      'bundle LE-1 part current-address-certificate waits for parts that are done',
      `application ${twin} belongs to no bundle part`,
    ]);
    const unstepped = cleanRun();
    unstepped.bundleParts![0]!.state = 'filed';
    expect(violationsOf(unstepped)['bundles: no part doubled, orphaned or left hanging']).toEqual([
      'bundle LE-1 part register-current-address is still filed, its application is delivered',
    ]);
  });

  it('reports a part waiting for one that failed, and a cancelled part with an application', () => {
    const run = cleanRun();
    run.bundleParts!.push(
      {
        requestId: 'LE-1',
        partKey: 'permanent-address-certificate',
        state: 'waiting',
        dependsOn: ['permanent-address-history'],
        applicationId: null,
      },
      { requestId: 'LE-1', partKey: 'x', state: 'cancelled', dependsOn: [], applicationId },
    );
    expect(violationsOf(run)['bundles: no part doubled, orphaned or left hanging']).toEqual([
      'bundle LE-1 part permanent-address-certificate waits for a part that will never be done',
      `bundle LE-1 part x links ${applicationId}, filed as ${portalId}`,
      'bundle LE-1 part x is cancelled with an application',
    ]);
  });
});
