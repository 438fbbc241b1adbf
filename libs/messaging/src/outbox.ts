import type { EntityManager } from 'typeorm';
import { cloudEventHeaders } from './cloud-event-headers';

export interface OutgoingMessage {
  topic: string;
  /** The aggregate id (e.g. the application id): keeps order per aggregate. */
  key: string;
  /** CloudEvents type, e.g. `bg.sofia.umg.application.status-changed.v1`. */
  type: string;
  payload: unknown;
  /**
   * CloudEvents extension attributes, sent as `ce_<name>` headers (lowercase letters and digits),
   * e.g. `{ umgstatus: 'paid' }`: what consumers decide relevance from without reading the payload.
   */
  extensions?: Record<string, string>;
}

/**
 * Writes outgoing messages into the service's outbox table inside the caller's transaction, so a
 * state change and the messages it causes commit or roll back together.
 */
export class Outbox {
  constructor(
    private readonly schema: string,
    private readonly source: string,
  ) {}

  async enqueue(manager: EntityManager, messages: OutgoingMessage | OutgoingMessage[]): Promise<void> {
    const list = Array.isArray(messages) ? messages : [messages];
    if (list.length === 0) return;
    const values: unknown[] = [];
    const rows = list.map((message, index) => {
      const headers = cloudEventHeaders({ type: message.type, source: this.source, extensions: message.extensions });
      values.push(
        headers.ce_id,
        message.topic,
        message.key,
        message.type,
        JSON.stringify(headers),
        JSON.stringify(message.payload),
      );
      const base = index * 6;
      return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}::jsonb, $${base + 6}::jsonb)`;
    });
    await manager.query(
      `INSERT INTO "${this.schema}".outbox (message_id, topic, message_key, message_type, headers, payload)
       VALUES ${rows.join(', ')}`,
      values,
    );
  }
}
