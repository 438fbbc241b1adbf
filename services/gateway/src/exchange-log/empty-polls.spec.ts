import { createHash } from 'node:crypto';
import type { ExchangeRecorder, RecordedExchange } from '@umg/exchange-log';
import { canonicalEncoding } from '@umg/exchange-log';
import { type EmptyPoll, EmptyPolls } from './empty-polls';

describe('EmptyPolls', () => {
  const recorded: RecordedExchange[] = [];
  const recorder = {
    recordNow: (record: RecordedExchange) => {
      recorded.push(record);
      return Promise.resolve(true);
    },
  } as unknown as ExchangeRecorder;
  let polls: EmptyPolls;

  const poll = (party: string, at: string, query: string, operation = 'GET /v1/applications'): EmptyPoll => ({
    occurredAt: new Date(at),
    requestId: `req-${at}`,
    party,
    operation,
    districtCode: 'serdika',
    request: canonicalEncoding('umg-exchange-request/v1', [query, 'null', null]),
  });

  beforeEach(() => {
    recorded.length = 0;
    polls = new EmptyPolls(recorder, { EXCHANGE_LOG_POLL_SUMMARY_MS: 3_600_000 });
  });

  afterEach(() => polls.beforeApplicationShutdown());

  it('writes nothing per poll, then one summary per credential and route with the count, the span and a hash of every query', async () => {
    const a = [
      poll('district:serdika:1', '2026-12-06T10:00:00.000Z', 'status=routed'),
      poll('district:serdika:1', '2026-12-06T10:00:01.000Z', 'status=paid'),
      poll('district:serdika:1', '2026-12-06T10:00:02.000Z', 'status=routed'),
    ];
    for (const one of a) polls.count(one);
    polls.count(poll('district:serdika:1', '2026-12-06T10:00:01.500Z', 'after=c1', 'GET /v1/applications/changes'));
    polls.count(poll('district:serdika:2', '2026-12-06T10:00:01.700Z', 'status=routed'));
    expect(recorded).toHaveLength(0);

    await polls.flush();

    expect(recorded).toHaveLength(3);
    const lists = recorded.find(
      (record) => record.party === 'district:serdika:1' && record.operation === 'GET /v1/applications',
    )!;
    expect(lists).toEqual({
      occurredAt: new Date('2026-12-06T10:00:02.000Z'),
      requestId: 'req-2026-12-06T10:00:00.000Z',
      party: 'district:serdika:1',
      direction: 'inbound',
      operation: 'GET /v1/applications',
      requestHash: createHash('sha256')
        .update(Buffer.concat(a.map((one) => one.request)))
        .digest('hex'),
      outcome: '200',
      applicationId: null,
      districtCode: 'serdika',
      detail: 'nothing found: 3 polls from 2026-12-06T10:00:00.000Z to 2026-12-06T10:00:02.000Z',
    });
  });

  it('hashes a lone poll exactly as a record of its own would, and tells polls apart by their query', async () => {
    const one = poll('district:serdika:1', '2026-12-06T10:00:00.000Z', 'limit=1');
    polls.count(one);
    await polls.flush();
    polls.count(poll('district:serdika:1', '2026-12-06T10:00:00.000Z', 'limit=2'));
    await polls.flush();

    expect(recorded[0]!.requestHash).toBe(createHash('sha256').update(one.request).digest('hex'));
    expect(recorded[1]!.requestHash).not.toBe(recorded[0]!.requestHash);
  });

  it('starts afresh after a summary, writes the last one at shutdown and records a later poll on its own', async () => {
    polls.count(poll('district:serdika:1', '2026-12-06T10:00:00.000Z', 'limit=1'));
    await polls.flush();
    await polls.flush();
    expect(recorded).toHaveLength(1);

    polls.count(poll('district:serdika:1', '2026-12-06T10:00:05.000Z', 'limit=1'));
    await polls.beforeApplicationShutdown();
    expect(recorded).toHaveLength(2);

    polls.count(poll('district:serdika:1', '2026-12-06T10:00:06.000Z', 'limit=1'));
    expect(recorded).toHaveLength(3);
    expect(recorded[2]!.detail).toMatch(/^nothing found: 1 polls from/);
  });

  it('writes a summary on its own every interval', async () => {
    jest.useFakeTimers();
    try {
      const timed = new EmptyPolls(recorder, { EXCHANGE_LOG_POLL_SUMMARY_MS: 1_000 });
      timed.count(poll('district:serdika:1', '2026-12-06T10:00:00.000Z', 'limit=1'));
      jest.advanceTimersByTime(999);
      expect(recorded).toHaveLength(0);
      jest.advanceTimersByTime(1);
      expect(recorded).toHaveLength(1);
      await timed.beforeApplicationShutdown();
    } finally {
      jest.useRealTimers();
    }
  });
});
