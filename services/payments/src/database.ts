import { InitialSchema1764220000000 } from './migrations/1764220000000-initial-schema';
import { PaymentRequests1764300000000 } from './migrations/1764300000000-payment-requests';
import { ExchangeLog1764400000000 } from './migrations/1764400000000-exchange-log';
import { PayEgovContract1765000000000 } from './migrations/1765000000000-pay-egov-contract';
import { ExchangeLogSigned1768500000000 } from './migrations/1768500000000-exchange-log-signed';
import { DeadLetterRecovery1769200000000 } from './migrations/1769200000000-dead-letter-recovery';
import { FeeChanges1769400000000 } from './migrations/1769400000000-fee-changes';
import { OutboundCallWakeups1770630000000 } from './migrations/1770630000000-outbound-call-wakeups';
import { PaymentRequestEntity } from './payment-request/payment-request.entity';

/** The payments service's own schema, entities and migrations. */
export const paymentsDatabase = {
  schema: 'payments',
  entities: [PaymentRequestEntity],
  migrations: [
    InitialSchema1764220000000,
    PaymentRequests1764300000000,
    ExchangeLog1764400000000,
    PayEgovContract1765000000000,
    ExchangeLogSigned1768500000000,
    DeadLetterRecovery1769200000000,
    FeeChanges1769400000000,
    OutboundCallWakeups1770630000000,
  ],
};
