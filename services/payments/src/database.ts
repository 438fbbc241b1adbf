import { InitialSchema1764220000000 } from './migrations/1764220000000-initial-schema';
import { PaymentRequests1764300000000 } from './migrations/1764300000000-payment-requests';
import { PaymentRequestEntity } from './payment-request/payment-request.entity';

/** The payments service's own schema, entities and migrations. */
export const paymentsDatabase = {
  schema: 'payments',
  entities: [PaymentRequestEntity],
  migrations: [InitialSchema1764220000000, PaymentRequests1764300000000],
};
