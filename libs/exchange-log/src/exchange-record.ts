/** One exchange with a district or the state platform, as the log keeps it. No personal data. */
export interface ExchangeRecord {
  occurredAt: Date;
  /** Who: e.g. `district:serdika:api-key:1a2b3c4d`, `portal`, `payment-system`, `operator:ivanova`. */
  party: string;
  direction: 'inbound' | 'outbound';
  /** What: e.g. `POST /v1/applications/:applicationId/registration`, `kafka portal.application-submitted`. */
  operation: string;
  /** The request's id (correlation id, CloudEvents id). */
  requestId: string;
  /** SHA-256 (hex) of the request (body, and a GET's query): proves what was asked without storing it. */
  requestHash: string;
  /** The outcome: HTTP status, `processed`, `rejected: <code>`, `dead-lettered: <code>`, `issued`. */
  outcome: string;
  /** The application the exchange concerns, when it concerns one: answers "who touched application X". */
  applicationId?: string | null;
  /** The district the exchange concerns, when known. */
  districtCode?: string | null;
  /** A short note: an operator's stated reason, the scopes of an issued token, a refusal's reason. */
  detail?: string | null;
}

export interface ChainedRecord extends ExchangeRecord {
  seq: number;
  prevHash: string;
  hash: string;
  /** The writer's key (see keyIdOf); null for records of the HMAC era, before records were signed. */
  keyId: string | null;
  /** Ed25519 over `hash` by the writer's key; null for records of the HMAC era. */
  signature: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The columns of an exchange log row, in the order `chainedRecordOf` reads them. */
export const exchangeLogColumns =
  'seq, occurred_at, party, direction, operation, request_id, request_hash, outcome, application_id, district_code, detail, prev_hash, hash, key_id, signature';

/** A row of an exchange_log table as the record the chain is computed over. */
export function chainedRecordOf(row: Record<string, unknown>): ChainedRecord {
  return {
    seq: Number(row.seq),
    occurredAt: row.occurred_at as Date,
    party: row.party as string,
    direction: row.direction as ChainedRecord['direction'],
    operation: row.operation as string,
    requestId: row.request_id as string,
    requestHash: row.request_hash as string,
    outcome: row.outcome as string,
    applicationId: (row.application_id as string | null | undefined) ?? null,
    districtCode: (row.district_code as string | null | undefined) ?? null,
    detail: (row.detail as string | null | undefined) ?? null,
    prevHash: row.prev_hash as string,
    hash: row.hash as string,
    keyId: (row.key_id as string | null | undefined) ?? null,
    signature: (row.signature as string | null | undefined) ?? null,
  };
}
