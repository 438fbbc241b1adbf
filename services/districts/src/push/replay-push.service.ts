import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import { DistrictError, DistrictErrorCode } from '../district/district-error';
import { DistrictRepository } from '../district/district.repository';
import { pushQueueChannel } from './push-worker';

/** Puts a parked push back at its place in the district's queue, with fresh attempts; audited. */
@Injectable()
export class ReplayPushService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictRepository,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async replay(pushId: number, actor: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [push] = (await manager.query(
        `SELECT id, district_code, application_id, state FROM districts.outgoing_push WHERE id = $1 FOR UPDATE`,
        [pushId],
      )) as { id: string; district_code: string; application_id: string; state: string }[];
      if (!push) throw new DistrictError(DistrictErrorCode.PushNotFound, `no push ${pushId}`);
      if (push.state !== 'parked') {
        throw new DistrictError(DistrictErrorCode.PushNotParked, `push ${pushId} is ${push.state}`);
      }
      await manager.query(
        `UPDATE districts.outgoing_push SET state = 'pending', attempts = 0, next_attempt_at = now(), lease_until = NULL,
           replay_count = replay_count + 1, replayed_at = now(), replayed_by = $2
         WHERE id = $1 RETURNING pg_notify('${pushQueueChannel}', '')`,
        [pushId, actor],
      );
      await this.districts.audit(manager, {
        districtCode: push.district_code,
        change: 'push_replay',
        before: { pushId, state: 'parked' },
        after: { pushId, state: 'pending' },
        actor,
        reason,
      });
    });
    this.logger.info({ pushId, actor }, 'parked push replayed');
  }
}
