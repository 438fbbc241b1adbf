import { PaymentNotice1766100000000 } from './migrations/1766100000000-payment-notice';
import { DeliveryDocumentEntity } from './delivery/delivery-document.entity';
import { DeliveryEvidenceEntity } from './delivery/delivery-evidence.entity';
import { DeliveryStatusChangeEntity } from './delivery/delivery-status-change.entity';
import { DeliveryEntity } from './delivery/delivery.entity';
import { InitialSchema1764220000000 } from './migrations/1764220000000-initial-schema';
import { Deliveries1764300000000 } from './migrations/1764300000000-deliveries';
import { ExchangeLog1764400000000 } from './migrations/1764400000000-exchange-log';
import { EDeliverySoap1766000000000 } from './migrations/1766000000000-e-delivery-soap';
import { ReceivedMessages1766000000001 } from './migrations/1766000000001-received-messages';
import { ExchangeLogSigned1768500000000 } from './migrations/1768500000000-exchange-log-signed';
import { DeadLetterRecovery1769200000000 } from './migrations/1769200000000-dead-letter-recovery';
import { DeliveryWakeups1770630000000 } from './migrations/1770630000000-delivery-wakeups';
import { ResultsFirst1770650000000 } from './migrations/1770650000000-results-first';
import { ReceivedMessageEntity } from './intake/received-message.entity';

/** The delivery service's own schema, entities and migrations. */
export const deliveryDatabase = {
  schema: 'delivery',
  entities: [
    DeliveryEntity,
    DeliveryDocumentEntity,
    DeliveryStatusChangeEntity,
    DeliveryEvidenceEntity,
    ReceivedMessageEntity,
  ],
  migrations: [
    InitialSchema1764220000000,
    Deliveries1764300000000,
    ExchangeLog1764400000000,
    EDeliverySoap1766000000000,
    ReceivedMessages1766000000001,
    PaymentNotice1766100000000,
    ExchangeLogSigned1768500000000,
    DeadLetterRecovery1769200000000,
    DeliveryWakeups1770630000000,
    ResultsFirst1770650000000,
  ],
};
