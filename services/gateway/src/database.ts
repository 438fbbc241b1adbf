import { InitialSchema1764220000000 } from './migrations/1764220000000-initial-schema';
import { IdempotencyKeys1764230000000 } from './migrations/1764230000000-idempotency-keys';
import { ExchangeLog1764240000000 } from './migrations/1764240000000-exchange-log';
import { Identities1764300000000 } from './migrations/1764300000000-identities';
import { OperatorSignInProtection1767000000000 } from './migrations/1767000000000-operator-sign-in-protection';
import { SignedRevocationList1768400000000 } from './migrations/1768400000000-signed-revocation-list';
import { ExchangeLogSigned1768500000000 } from './migrations/1768500000000-exchange-log-signed';
import { ExchangeLogByApplication1769500000000 } from './migrations/1769500000000-exchange-log-by-application';
import { OperatorActionAudit1769600000000 } from './migrations/1769600000000-operator-action-audit';
import { RateLimit1770680000000 } from './migrations/1770680000000-rate-limit';

/** The gateway service's own schema, entities and migrations. */
export const gatewayDatabase = {
  schema: 'gateway',
  entities: [],
  migrations: [
    InitialSchema1764220000000,
    IdempotencyKeys1764230000000,
    ExchangeLog1764240000000,
    Identities1764300000000,
    OperatorSignInProtection1767000000000,
    SignedRevocationList1768400000000,
    ExchangeLogSigned1768500000000,
    ExchangeLogByApplication1769500000000,
    OperatorActionAudit1769600000000,
    RateLimit1770680000000,
  ],
};
