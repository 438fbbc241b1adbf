import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { cloudEventTypes, kafkaTopics } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { Outbox } from '@umg/messaging';
import { SERVICE_LOGGER } from '@umg/platform';
import type { DeliveryConfig } from '../config';
import { DELIVERY_CONFIG } from '../delivery-config.token';
import { EDeliveryCallError } from '../e-delivery/e-delivery-call.error';
import { EDeliveryClient } from '../e-delivery/e-delivery.client';
import { readPortalApplication } from './portal-application.reader';
import { type OriginalMessage, ReceivedMessageEntity } from './received-message.entity';

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

  /** Openings whose instance died (lease over): taken over, one instance each; one that keeps failing is parked. */
  private async reclaimUnfinished(districtCode: string): Promise<number[]> {
    const [given] = (await this.dataSource.query(
      `UPDATE delivery.received_message
          SET state = 'parked', reason = $3::jsonb
        WHERE district_code = $1 AND state = 'opening' AND lease_until < now() AND open_attempts >= $2
        RETURNING message_id`,
      [
        districtCode,
        this.config.E_DELIVERY_OPEN_MAX_ATTEMPTS,
        JSON.stringify({
          code: 'cannot_be_opened',
          message: `e-delivery failed to open it ${this.config.E_DELIVERY_OPEN_MAX_ATTEMPTS} times; open it in the e-delivery portal`,
        }),
      ],
    )) as [{ message_id: number }[], number];
    for (const row of given) {
      this.logger.error(
        { districtCode, messageId: row.message_id },
        'a received message cannot be opened; parked for an operator',
      );
    }
    const [rows] = (await this.dataSource.query(
      `UPDATE delivery.received_message
          SET lease_until = now() + $2 * interval '1 millisecond', open_attempts = open_attempts + 1
        WHERE district_code = $1 AND state = 'opening' AND lease_until < now()
        RETURNING message_id`,
      [districtCode, this.config.E_DELIVERY_INBOX_LEASE_MS],
    )) as [{ message_id: number }[], number];
    return rows.map((row) => row.message_id);
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
    const original: OriginalMessage = {
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
    return this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(ReceivedMessageEntity, {
        where: { districtCode, messageId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row || row.state !== 'opening') return false; // another instance finished it meanwhile
      row.openedAt ??= new Date();
      // A second message about an application already taken in (a letter, a correction, a reply)
      // is correspondence on it, not a new application.
      const about = await this.applicationMentioned(manager, districtCode, messageId, content.title);
      // Kept whole for the operator: correspondence on a known application, or not readable at all.
      const park = (reason: { code: string; message: string }) => {
        row.state = 'parked';
        row.portalApplicationId = about;
        row.reason = reason;
        row.original = original;
        this.logger.warn({ districtCode, messageId, reason: reason.code }, 'parked a received message');
      };
      if (about) {
        park({ code: 'correspondence', message: `correspondence on application ${about}, for the district` });
      } else if (outcome.kind === 'application') {
        row.state = 'submitted';
        row.portalApplicationId = outcome.submission.portalApplicationId;
        // The internal seam: the same message the applications service takes from the portal topic.
        await this.outbox.enqueue(manager, {
          topic: kafkaTopics.portalApplicationSubmitted,
          key: outcome.submission.portalApplicationId,
          type: cloudEventTypes.ApplicationSubmitted,
          payload: outcome.submission,
        });
      } else {
        park({ code: outcome.code, message: outcome.message });
      }
      await manager.save(ReceivedMessageEntity, row);
      return true;
    });
  }

  /** The application (its ORN) an earlier message of this district's inbox brought, if the title names it. */
  private async applicationMentioned(
    manager: EntityManager,
    districtCode: string,
    messageId: number,
    title: string,
  ): Promise<string | null> {
    const words = title.match(/[A-Za-z0-9]{6,}/g) ?? [];
    if (words.length === 0) return null;
    const rows = (await manager.query(
      `SELECT portal_application_id FROM delivery.received_message
        WHERE district_code = $1 AND state = 'submitted' AND message_id <> $2 AND portal_application_id = ANY($3::text[])
        LIMIT 1`,
      [districtCode, messageId, words],
    )) as { portal_application_id: string }[];
    return rows[0]?.portal_application_id ?? null;
  }
}
