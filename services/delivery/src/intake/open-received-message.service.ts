import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { cloudEventTypes, kafkaTopics } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { Outbox } from '@umg/messaging';
import { SERVICE_LOGGER } from '@umg/platform';
import type { DeliveryConfig } from '../config';
import { DELIVERY_CONFIG } from '../delivery-config.token';
import { EDeliveryCallError } from '../e-delivery/e-delivery-call.error';
import { EDeliveryClient } from '../e-delivery/e-delivery.client';
import { type ReceivedMessage, readPortalApplication } from './portal-application.reader';
import type { OriginalMessage } from './received-message.entity';

/**
 * Takes new messages from one district's e-delivery inbox, each opened once.
 *
 * Opening a message (GetReceivedMessageContent) is legal delivery, and once opened it is no longer
 * in ССЕВ's "new" list. So the message id is first committed as `opening` (with a lease); only then
 * is the message opened; the application read from it goes to `portal.application-submitted`
 * through the outbox in the same transaction that marks the row `submitted` (or `parked`, with the
 * original kept). A crash before the open leaves a row whose message is still new: the listing
 * skips it (the row exists) and the row's expired lease brings it back. A crash after the open
 * leaves the same row: its content is read again — ССЕВ records the delivery once, at the first
 * open, and the submission is written once, by the one transaction that ends the row.
 */
@Injectable()
export class OpenReceivedMessageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eDelivery: EDeliveryClient,
    private readonly outbox: Outbox,
    @Inject(DELIVERY_CONFIG) private readonly config: DeliveryConfig,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  /** One pass over the district's inbox: unfinished openings first, then new messages. */
  async takeNew(districtCode: string): Promise<number> {
    let taken = 0;
    for (const messageId of await this.reclaimUnfinished(districtCode)) {
      if (await this.open(districtCode, messageId)) taken += 1;
    }
    for (const message of await this.eDelivery.newReceivedMessages(districtCode, 50)) {
      if (!(await this.claimNew(districtCode, message.messageId, message.title))) continue;
      if (await this.open(districtCode, message.messageId)) taken += 1;
    }
    return taken;
  }

  /** Records the intent to open; false when another instance (or an earlier run) already did. */
  private async claimNew(districtCode: string, messageId: number, title: string): Promise<boolean> {
    const inserted = (await this.dataSource.query(
      `INSERT INTO delivery.received_message
         (district_code, message_id, title, state, lease_until, open_attempts, first_seen_at)
       VALUES ($1, $2, $3, 'opening', now() + $4 * interval '1 millisecond', 1, now())
       ON CONFLICT DO NOTHING RETURNING message_id`,
      [districtCode, messageId, title, this.config.E_DELIVERY_INBOX_LEASE_MS],
    )) as unknown[];
    return inserted.length === 1;
  }

  /**
   * Openings whose instance died (lease over): taken over, one instance each; one that keeps
   * failing is parked. One statement for both.
   */
  private async reclaimUnfinished(districtCode: string): Promise<number[]> {
    const [rows] = (await this.dataSource.query(
      `UPDATE delivery.received_message
          SET state = CASE WHEN open_attempts >= $2 THEN 'parked' ELSE state END,
              reason = CASE WHEN open_attempts >= $2 THEN $3::jsonb ELSE reason END,
              lease_until = CASE WHEN open_attempts >= $2 THEN lease_until
                                 ELSE now() + $4 * interval '1 millisecond' END,
              open_attempts = CASE WHEN open_attempts >= $2 THEN open_attempts ELSE open_attempts + 1 END
        WHERE district_code = $1 AND state = 'opening' AND lease_until < now()
        RETURNING message_id, state`,
      [
        districtCode,
        this.config.E_DELIVERY_OPEN_MAX_ATTEMPTS,
        JSON.stringify({
          code: 'cannot_be_opened',
          message: `e-delivery failed to open it ${this.config.E_DELIVERY_OPEN_MAX_ATTEMPTS} times; open it in the e-delivery portal`,
        }),
        this.config.E_DELIVERY_INBOX_LEASE_MS,
      ],
    )) as [{ message_id: number; state: string }[], number];
    for (const row of rows.filter((candidate) => candidate.state === 'parked')) {
      this.logger.error(
        { districtCode, messageId: row.message_id },
        'a received message cannot be opened; parked for an operator',
      );
    }
    return rows.filter((row) => row.state === 'opening').map((row) => row.message_id);
  }

  private async open(districtCode: string, messageId: number): Promise<boolean> {
    let content: Awaited<ReturnType<EDeliveryClient['openReceivedMessage']>>;
    try {
      content = await this.eDelivery.openReceivedMessage(districtCode, messageId);
    } catch (error) {
      // The row stays `opening`; its lease brings it back.
      const level = error instanceof EDeliveryCallError && error.transient ? 'warn' : 'error';
      this.logger[level]({ err: error, districtCode, messageId }, 'could not open a received message; will retry');
      return false;
    }
    const outcome = await readPortalApplication(content, districtCode);
    return this.dataSource.transaction(async (manager) => {
      // The row, locked, while it is still ours to finish (another instance may have finished it
      // meanwhile), and, in the same statement, the application an earlier message of this inbox
      // brought if the title names one: a second message about it (a letter, a correction, a
      // reply) is correspondence on it, not a new application.
      const [row] = (await manager.query(
        `SELECT (SELECT other.portal_application_id FROM delivery.received_message AS other
                  WHERE other.district_code = $1 AND other.state = 'submitted' AND other.message_id <> $2
                    AND other.portal_application_id = ANY($3::text[])
                  LIMIT 1) AS about
           FROM delivery.received_message
          WHERE district_code = $1 AND message_id = $2 AND state = 'opening'
            FOR UPDATE`,
        [districtCode, messageId, content.title.match(/[A-Za-z0-9]{6,}/g) ?? []],
      )) as { about: string | null }[];
      if (!row) return false;
      const about = row.about;
      // Kept whole for the operator: correspondence on a known application, or not readable at all.
      const park = (reason: { code: string; message: string }): Ending => {
        this.logger.warn({ districtCode, messageId, reason: reason.code }, 'parked a received message');
        return { state: 'parked', portalApplicationId: about, reason, original: originalOf(content) };
      };
      let ending: Ending;
      if (about) {
        ending = park({ code: 'correspondence', message: `correspondence on application ${about}, for the district` });
      } else if (outcome.kind === 'application') {
        ending = { state: 'submitted', portalApplicationId: outcome.submission.portalApplicationId };
        // The internal seam: the same message the applications service takes from the portal topic.
        await this.outbox.enqueue(manager, {
          topic: kafkaTopics.portalApplicationSubmitted,
          key: outcome.submission.portalApplicationId,
          type: cloudEventTypes.ApplicationSubmitted,
          payload: outcome.submission,
        });
      } else {
        ending = park({ code: outcome.code, message: outcome.message });
      }
      await manager.query(
        `UPDATE delivery.received_message
            SET state = $3, opened_at = coalesce(opened_at, now()), portal_application_id = $4,
                reason = $5::jsonb, original = $6::jsonb
          WHERE district_code = $1 AND message_id = $2`,
        [
          districtCode,
          messageId,
          ending.state,
          ending.portalApplicationId,
          ending.reason ? JSON.stringify(ending.reason) : null,
          ending.original ? JSON.stringify(ending.original) : null,
        ],
      );
      return true;
    });
  }
}

/** How an opened message ends: handed to intake, or parked (with its reason and the message as received). */
interface Ending {
  state: 'submitted' | 'parked';
  portalApplicationId: string | null;
  reason?: { code: string; message: string };
  original?: OriginalMessage;
}

/** The message as received, for the operator: only made for a message that is parked. */
function originalOf(content: ReceivedMessage & { senderName: string | null }): OriginalMessage {
  return {
    title: content.title,
    dateSent: content.dateSent?.toISOString() ?? null,
    senderName: content.senderName,
    documents: content.documents.map((document) => ({
      id: document.id,
      name: document.name,
      contentType: document.contentType,
      contentBase64: document.content.toString('base64'),
    })),
  };
}
