import { ApplicationEventEntity } from './application/application-event.entity';
import { ApplicationEntity } from './application/application.entity';
import { AttachmentEntity } from './application/attachment.entity';
import { DocumentEntity } from './application/document.entity';
import { InitialSchema1764220000000 } from './migrations/1764220000000-initial-schema';
import { DocumentsAndRegistration1764230000000 } from './migrations/1764230000000-documents-and-registration';
import { ExchangeLog1764240000000 } from './migrations/1764240000000-exchange-log';
import { DistrictOfferings1764300000000 } from './migrations/1764300000000-district-offerings';
import { ConformanceSandbox1764400000000 } from './migrations/1764400000000-conformance-sandbox';
import { StatisticsIndex1764600000000 } from './migrations/1764600000000-statistics-index';
import { AttachmentSignatures1766000000000 } from './migrations/1766000000000-attachment-signatures';
import { PaymentRequests1768100000000 } from './migrations/1768100000000-payment-requests';
import { ExchangeLogSigned1768500000000 } from './migrations/1768500000000-exchange-log-signed';
import { DeadLetterRecovery1769200000000 } from './migrations/1769200000000-dead-letter-recovery';
import { DeadlineClock1769300000000 } from './migrations/1769300000000-deadline-clock';
import { ResultReplacementAndHandover1769500000000 } from './migrations/1769500000000-result-replacement-and-handover';
import { ApplicationChanges1770200000000 } from './migrations/1770200000000-application-changes';
import { TimelineSequenceCounter1770610000000 } from './migrations/1770610000000-timeline-sequence-counter';
import { HotApplicationUpdates1770660000000 } from './migrations/1770660000000-hot-application-updates';
import { NarrowChangesFeed1770661000000 } from './migrations/1770661000000-narrow-changes-feed';
import { LifeEventBundles1770710000000 } from './migrations/1770710000000-life-event-bundles';
import { Feedback1770740000000 } from './migrations/1770740000000-feedback';

/** The applications service's own schema, entities and migrations. */
export const applicationsDatabase = {
  schema: 'applications',
  entities: [ApplicationEntity, ApplicationEventEntity, AttachmentEntity, DocumentEntity],
  migrations: [
    InitialSchema1764220000000,
    DocumentsAndRegistration1764230000000,
    ExchangeLog1764240000000,
    DistrictOfferings1764300000000,
    ConformanceSandbox1764400000000,
    StatisticsIndex1764600000000,
    AttachmentSignatures1766000000000,
    PaymentRequests1768100000000,
    ExchangeLogSigned1768500000000,
    DeadLetterRecovery1769200000000,
    DeadlineClock1769300000000,
    ResultReplacementAndHandover1769500000000,
    ApplicationChanges1770200000000,
    TimelineSequenceCounter1770610000000,
    HotApplicationUpdates1770660000000,
    NarrowChangesFeed1770661000000,
    LifeEventBundles1770710000000,
    Feedback1770740000000,
  ],
};
