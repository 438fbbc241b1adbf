import { check, formatReport, type Observations } from './checker';

const problem = (status: number, code: string) =>
  JSON.stringify({ type: `urn:umg:problem:${code}`, title: 't', status, code });

function clean(): Observations {
  return {
    http: [
      {
        operation: 'GET /v1/applications',
        kind: 'hostile',
        status: 200,
        contentType: 'application/json',
        body: '[]',
        mustReject: false,
      },
      {
        operation: 'POST /v1/applications/{applicationId}/registration',
        kind: 'body_wrong_type',
        status: 400,
        contentType: 'application/problem+json; charset=utf-8',
        body: problem(400, 'validation_failed'),
        mustReject: true,
      },
    ],
    kafka: [
      {
        topic: 'applications.events',
        kind: 'not_json',
        expectedGroups: ['umg.payments', 'umg.delivery'],
        deadLetters: [
          { group: 'umg.payments', reasonCode: 'malformed_json', reasonMessage: 'not JSON' },
          { group: 'umg.delivery', reasonCode: 'malformed_json', reasonMessage: 'not JSON' },
        ],
      },
      {
        topic: 'portal.application-submitted',
        kind: 'payload',
        expectedGroups: [],
        deadLetters: [],
        rejectionFor: 'FUZZ-1',
        rejectionSent: true,
      },
    ],
    before: { 'applications.application': { rows: 2, hash: 'a' } },
    after: { 'applications.application': { rows: 2, hash: 'a' } },
    processes: [{ name: 'gateway', alive: true, live: true, restarts: 0 }],
    knownCodes: new Set(['validation_failed']),
  };
}

describe('bad-input checker', () => {
  it('bounds answer times and event-loop stalls, and prints p50/p99/max and the worst stall per service', () => {
    const observations = clean();
    observations.http = observations.http.map((o, index) =>
      index === 0 ? { ...o, ms: 12 } : { ...o, kind: 'body_size_list_of_16000_empty_objects', ms: 3_400 },
    );
    observations.maxAnswerMs = 2_000;
    observations.maxStallMs = 1_000;
    observations.eventLoops = [
      { name: 'gateway', probes: 40, worstMs: 3_100, unanswered: 0 },
      { name: 'districts', probes: 40, worstMs: 9, unanswered: 0 },
      { name: 'payments', probes: 3, worstMs: 10_000, unanswered: 1 },
    ];
    const report = check(observations);
    expect(report.violations.map((v) => `${v.where}: ${v.what}`)).toEqual([
      'POST /v1/applications/{applicationId}/registration: answer took 3400 ms (bound 2000 ms)',
      'gateway: event loop stalled: a liveness probe took 3100 ms (bound 1000 ms)',
      'payments: event loop stalled: a liveness probe took 10000 ms (bound 1000 ms)',
      'payments: event loop stalled: 1 liveness probe(s) unanswered',
    ]);
    expect(report.answerTimes).toEqual({ count: 2, p50: 12, p99: 3_400, max: 3_400 });
    const text = formatReport(report);
    expect(text).toContain('p50 12 ms, p99 3400 ms, max 3400 ms');
    expect(text).toContain('hostile-size bodies (1): p50 3400 ms, p99 3400 ms, max 3400 ms');
    expect(text).toMatch(/districts\s+9 ms/);
  });

  it('lets a fast run with quiet event loops pass', () => {
    const observations = { ...clean(), maxAnswerMs: 2_000, maxStallMs: 1_000 };
    observations.http = observations.http.map((o) => ({ ...o, ms: 40 }));
    observations.eventLoops = [{ name: 'gateway', probes: 40, worstMs: 60, unanswered: 0 }];
    expect(check(observations).violations).toEqual([]);
  });

  it('passes a clean run with exit status 0', () => {
    const report = check(clean());
    expect(report.violations).toEqual([]);
    expect(report.exitCode).toBe(0);
    expect(formatReport(report)).toContain('POST /v1/applications/{applicationId}/registration');
  });

  it('reports a 500, a non-problem rejection, an unknown code and an accepted invalid write', () => {
    const observations = clean();
    observations.http.push(
      {
        operation: 'GET /x',
        kind: 'a',
        status: 500,
        contentType: 'application/problem+json',
        body: problem(500, 'internal_error'),
        mustReject: false,
      },
      {
        operation: 'GET /x',
        kind: 'b',
        status: 400,
        contentType: 'text/html',
        body: '<h1>Bad</h1>',
        mustReject: false,
      },
      {
        operation: 'GET /x',
        kind: 'c',
        status: 404,
        contentType: 'application/problem+json',
        body: problem(404, 'made_up'),
        mustReject: false,
      },
      { operation: 'POST /x', kind: 'd', status: 201, contentType: 'application/json', body: '{}', mustReject: true },
      { operation: 'POST /x', kind: 'e', status: 0, contentType: undefined, body: '', mustReject: true },
    );
    const report = check(observations);
    expect(report.violations.map((v) => v.what)).toEqual([
      'server error 500',
      'rejection is text/html, not application/problem+json',
      'code "made_up" is not in the contracts',
      'invalid input accepted (201)',
      'no answer (connection dropped or timed out)',
    ]);
    expect(report.exitCode).toBe(1);
    expect(report.rows.find((row) => row.target === 'GET /x')).toMatchObject({ cases: 3, violations: 3 });
  });

  it('reports a missing dead letter, a reasonless one and an unanswered submission', () => {
    const observations = clean();
    observations.kafka[0]!.deadLetters.pop();
    observations.kafka.push(
      {
        topic: 'payments.events',
        kind: 'x',
        expectedGroups: ['umg.applications'],
        deadLetters: [{ group: 'umg.applications', reasonCode: '', reasonMessage: '' }],
      },
      {
        topic: 'portal.application-submitted',
        kind: 'y',
        expectedGroups: [],
        deadLetters: [],
        rejectionFor: 'FUZZ-2',
        rejectionSent: false,
      },
    );
    const report = check(observations);
    expect(report.violations.map((v) => v.what)).toEqual([
      'not dead-lettered by umg.delivery',
      'dead letter in umg.applications without a reason',
      'no SubmissionRejected for FUZZ-2',
    ]);
    expect(report.exitCode).toBe(1);
  });

  it('reports changed state and crashed processes', () => {
    const observations = clean();
    observations.after = {
      'applications.application': { rows: 3, hash: 'b' },
      'applications.new': { rows: 0, hash: '' },
    };
    observations.processes.push(
      { name: 'payments', alive: false, live: false, restarts: 0 },
      { name: 'delivery', alive: true, live: true, restarts: 1 },
    );
    const report = check(observations);
    expect(report.violations.map((v) => `${v.where}: ${v.what}`)).toEqual([
      'applications.application: row count changed from 2 to 3',
      'applications.new: table appeared',
      'payments: process is not running',
      'delivery: crashed 1 time(s)',
    ]);
    expect(report.exitCode).toBe(1);
    expect(formatReport(report)).toContain('violations:');
  });

  it('reports rows that changed in place', () => {
    const observations = clean();
    observations.after['applications.application'] = { rows: 2, hash: 'changed' };
    expect(check(observations).violations).toEqual([
      { where: 'applications.application', what: 'rows changed (same count)' },
    ]);
  });
});
