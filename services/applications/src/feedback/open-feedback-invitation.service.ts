import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { feedbackToken, feedbackTokenHash } from '@umg/contracts';
import type { ApplicationEntity } from '../application/application.entity';
import { isSandbox } from '../application/application.entity';
import { APPLICATIONS_CONFIG } from '../applications-config.token';
import type { ApplicationsConfig } from '../config';

/**
 * A result delivered through e-delivery invites feedback: in the transaction that makes the
 * application `delivered`, the invitation is stored by its token's hash (the delivery service
 * wrote the token into the notice; both derive it from the shared key). A conformance sandbox's
 * application is not the city's work and invites nothing; a second delivery finds the row.
 */
@Injectable()
export class OpenFeedbackInvitationService {
  constructor(
    @Inject(APPLICATIONS_CONFIG)
    private readonly config: Pick<ApplicationsConfig, 'FEEDBACK_TOKEN_SECRET' | 'FEEDBACK_VALID_DAYS'>,
  ) {}

  async open(manager: EntityManager, delivered: ApplicationEntity, deliveredAt: Date): Promise<void> {
    if (isSandbox(delivered)) return;
    const tokenHash = feedbackTokenHash(feedbackToken(this.config.FEEDBACK_TOKEN_SECRET, delivered.id));
    const expiresAt = new Date(deliveredAt.getTime() + this.config.FEEDBACK_VALID_DAYS * 24 * 3600 * 1000);
    await manager.query(
      `INSERT INTO applications.feedback
         (application_id, token_hash, district_code, service_number, service_name, life_event,
          received_at, delivered_at, expires_at)
       -- The life event of the bundle the application is a part of; null for a single application.
       VALUES ($1, $2, $3, $4, $5,
               (SELECT b.life_event FROM applications.bundle_part p
                  JOIN applications.bundle b ON b.id = p.bundle_id
                 WHERE p.application_id = $1),
               $6, $7, $8)
       ON CONFLICT (application_id) DO NOTHING`,
      [
        delivered.id,
        tokenHash,
        delivered.districtCode,
        delivered.serviceNumber,
        delivered.serviceName,
        delivered.receivedAt,
        deliveredAt,
        expiresAt,
      ],
    );
  }
}
