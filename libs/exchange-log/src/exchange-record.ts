/** One exchange with a district or the state platform, as the log keeps it. No personal data. */
export interface ExchangeRecord {
  occurredAt: Date;
  /** Who: e.g. `district:serdika:api-key:1a2b3c4d`, `portal`, `payment-system`. */
  party: string;
  direction: 'inbound' | 'outbound';
  /** What: e.g. `POST /v1/applications/{applicationId}/registration`, `kafka portal.application-submitted`. */
  operation: string;
  /** The request's id (correlation id, CloudEvents id). */
  requestId: string;
  /** SHA-256 (hex) of the request body: proves what was asked without storing it. */
  requestHash: string;
  /** The outcome: HTTP status, `processed`, `rejected: <code>`, `dead-lettered: <code>`. */
  outcome: string;
}

export interface ChainedRecord extends ExchangeRecord {
  seq: number;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);
