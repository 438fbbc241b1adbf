import type { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import type { ExchangeLog } from './exchange-log';
import { ExchangeRecorder, recordLingerMs } from './exchange-recorder';

describe('exchange recorder', () => {
  const exchange = {
    party: 'district:serdika:api-key:0001',
    direction: 'inbound' as const,
    operation: 'POST /v1/applications/:applicationId/registration',
    requestHash: 'a'.repeat(64),
    outcome: '200',
  };

  it('never loses a record silently: a failed append is counted and logged, and the exchange goes on', async () => {
    const failing = { appendAlone: () => Promise.reject(new Error('database unavailable')) } as unknown as ExchangeLog;
    const errors: unknown[] = [];
    const logger = { error: (...args: unknown[]) => errors.push(args) } as unknown as Logger;
    let failures = 0;
    const recorder = new ExchangeRecorder({} as DataSource, failing, logger, () => (failures += 1));

    await expect(recorder.recordNow(exchange)).resolves.toBe(false);
    expect(failures).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('answers true once the record is committed', async () => {
    const appended: unknown[] = [];
    const log = { appendAlone: (_: DataSource, record: unknown) => (appended.push(record), Promise.resolve()) };
    let failures = 0;
    const recorder = new ExchangeRecorder(
      {} as DataSource,
      log as unknown as ExchangeLog,
      {} as Logger,
      () => (failures += 1),
    );

    await expect(recorder.recordNow(exchange)).resolves.toBe(true);
    expect(appended).toEqual([expect.objectContaining({ ...exchange, requestId: 'none' })]);
    expect(failures).toBe(0);
  });

  it('lets a record nobody waits for linger for company, until shutdown begins', () => {
    const lingers: number[] = [];
    const log = {
      appendAlone: (_: DataSource, __: unknown, lingerMs: number) => (lingers.push(lingerMs), Promise.resolve()),
      settle: () => Promise.resolve(),
    };
    const recorder = new ExchangeRecorder({} as DataSource, log as unknown as ExchangeLog, {} as Logger);

    recorder.record(exchange);
    void recorder.recordNow(exchange);
    void recorder.beforeApplicationShutdown();
    recorder.record(exchange);

    expect(lingers).toEqual([recordLingerMs, 0, 0]);
    expect(recordLingerMs).toBeGreaterThan(0);
  });
});
