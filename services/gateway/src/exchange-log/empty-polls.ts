import { createHash, type Hash } from 'node:crypto';
import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { ExchangeRecorder, type RecordedExchange } from '@umg/exchange-log';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';

/** Marks an answer as a poll that found nothing new (an empty list or changes page). */
export function foundNothing(response: Response): void {
  (response.locals as { foundNothing?: boolean }).foundNothing = true;
}

export function isEmptyPoll(response: Response): boolean {
  return (response.locals as { foundNothing?: boolean }).foundNothing === true && response.statusCode === 200;
}

/** One poll that found nothing, as the exchange log middleware saw it. */
export interface EmptyPoll {
  occurredAt: Date;
  requestId: string;
  party: string;
  operation: string;
  districtCode: string | null;
  /** The canonical encoding of what was asked, the bytes a record of its own would have hashed. */
  request: Buffer;
}

interface Tally {
  first: EmptyPoll;
  last: EmptyPoll;
  count: number;
  /** SHA-256 over every poll's request encoding, in order: the summary still commits to each query. */
  requests: Hash;
}

/**
 * Polls that found nothing (a district's office asking its list or changes feed again and again)
 * are counted, not each written as its own signed record: every `EXCHANGE_LOG_POLL_SUMMARY_MS`
 * one record per credential, route and district says how many there were, from when to when, and
 * hashes what they asked. Measured before: 250 empty polls/s cost a signed, group-committed record
 * each (one lock, one read, one insert and a commit per ~1.2 records). Reads that return an
 * application or a non-empty page, and every write, are still recorded one by one.
 */
@Injectable()
export class EmptyPolls implements BeforeApplicationShutdown {
  private tallies = new Map<string, Tally>();
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly recorder: ExchangeRecorder,
    @Inject(GATEWAY_CONFIG) config: Pick<GatewayConfig, 'EXCHANGE_LOG_POLL_SUMMARY_MS'>,
  ) {
    this.timer = setInterval(() => void this.flush(), config.EXCHANGE_LOG_POLL_SUMMARY_MS).unref();
  }

  count(poll: EmptyPoll): void {
    if (this.closed) {
      // Shutting down: the last summary is written; a straggler is recorded on its own.
      void this.recorder.recordNow(summaryOf({ first: poll, last: poll, count: 1, requests: hashOf(poll) }));
      return;
    }
    const key = `${poll.party}\n${poll.operation}\n${poll.districtCode ?? ''}`;
    const tally = this.tallies.get(key);
    if (!tally) {
      this.tallies.set(key, { first: poll, last: poll, count: 1, requests: hashOf(poll) });
      return;
    }
    tally.last = poll;
    tally.count += 1;
    tally.requests.update(poll.request);
  }

  /** Writes a summary of every tally and starts new ones; resolves once they are committed (or counted as failed). */
  async flush(): Promise<void> {
    const tallies = [...this.tallies.values()];
    this.tallies = new Map();
    await Promise.all(tallies.map((tally) => this.recorder.recordNow(summaryOf(tally))));
  }

  /** Before the database connections close: the polls counted since the last summary are written. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
  }
}

function hashOf(poll: EmptyPoll): Hash {
  return createHash('sha256').update(poll.request);
}

function summaryOf(tally: Tally): RecordedExchange {
  return {
    occurredAt: tally.last.occurredAt,
    requestId: tally.first.requestId,
    party: tally.first.party,
    direction: 'inbound',
    operation: tally.first.operation,
    requestHash: tally.requests.digest('hex'),
    outcome: '200',
    applicationId: null,
    districtCode: tally.first.districtCode,
    detail: `nothing found: ${tally.count} polls from ${tally.first.occurredAt.toISOString()} to ${tally.last.occurredAt.toISOString()}`,
  };
}
