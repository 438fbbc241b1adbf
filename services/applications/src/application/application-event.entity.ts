import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export interface ReasonRecord {
  code?: string;
  message: string;
  field?: string;
}

/** One transition of an application: its timeline, with time, actor and reasons. */
@Entity({ name: 'application_event' })
export class ApplicationEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId!: string;

  @Column({ type: 'integer' })
  sequence!: number;

  /** The application's district, whose changes feed the entry is in. */
  @Column({ name: 'district_code', type: 'text' })
  districtCode!: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'actor_kind', type: 'text' })
  actorKind!: string;

  @Column({ name: 'actor_id', type: 'text' })
  actorId!: string;

  @Column({ type: 'jsonb', nullable: true })
  reasons!: ReasonRecord[] | null;

  @Column({ type: 'jsonb', nullable: true })
  details!: Record<string, string | number | boolean | null> | null;
}
