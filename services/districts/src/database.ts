import { InitialSchema1764220000000 } from './migrations/1764220000000-initial-schema';
import { RegistryAndAdapters1764300000000 } from './migrations/1764300000000-registry-and-adapters';
import { ExchangeLog1764400000000 } from './migrations/1764400000000-exchange-log';
import { ConformanceSandbox1764500000000 } from './migrations/1764500000000-conformance-sandbox';
import { DistrictPayee1765000000000 } from './migrations/1765000000000-district-payee';
import { EDeliveryIdentity1766000000000 } from './migrations/1766000000000-e-delivery-identity';
import { ExchangeLogSigned1768500000000 } from './migrations/1768500000000-exchange-log-signed';
import { DistrictSecrets1769100000000 } from './migrations/1769100000000-district-secrets';
import { ServicePhases1769100001000 } from './migrations/1769100001000-service-phases';
import { DeadLetterRecovery1769200000000 } from './migrations/1769200000000-dead-letter-recovery';
import { ParkedPushRecovery1769200000001 } from './migrations/1769200000001-parked-push-recovery';
import { DeadlineAlertDeliveries1769300000000 } from './migrations/1769300000000-deadline-alert-deliveries';
import { PushMappingsAndAnsweredDocuments1770000000000 } from './migrations/1770000000000-push-mappings-and-answered-documents';
import { ChangesWebhookDeliveries1770200000000 } from './migrations/1770200000000-changes-webhook-deliveries';
import { PushNames1770500000000 } from './migrations/1770500000000-push-names';

/** The districts service's own schema and migrations; it reads and writes its tables with SQL. */
export const districtsDatabase = {
  schema: 'districts',
  entities: [],
  migrations: [
    InitialSchema1764220000000,
    RegistryAndAdapters1764300000000,
    ExchangeLog1764400000000,
    ConformanceSandbox1764500000000,
    DistrictPayee1765000000000,
    EDeliveryIdentity1766000000000,
    ExchangeLogSigned1768500000000,
    DistrictSecrets1769100000000,
    ServicePhases1769100001000,
    DeadLetterRecovery1769200000000,
    ParkedPushRecovery1769200000001,
    DeadlineAlertDeliveries1769300000000,
    PushMappingsAndAnsweredDocuments1770000000000,
    ChangesWebhookDeliveries1770200000000,
    PushNames1770500000000,
  ],
};
