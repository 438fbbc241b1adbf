import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Application } from '@umg/contracts';
import { ApplicationRepository } from '../application/application.repository';
import type { ApplicationEntity } from '../application/application.entity';
import { WorkingCalendar } from '../calendar/working-calendar';
import { DeadlineClock } from '../deadlines/deadline-clock';
import { deadlineWindow } from '../deadlines/deadline-state';
import { toApplication } from './application.mapper';

/** Builds the contract view of one application: the entity with its timeline and files. */
@Injectable()
export class ApplicationView {
  constructor(
    private readonly applications: ApplicationRepository,
    private readonly clock: DeadlineClock,
    private readonly calendars: WorkingCalendar,
  ) {}

  async of(manager: EntityManager, application: ApplicationEntity): Promise<Application> {
    const [timeline, attachments, documents, pauses, calendar] = await Promise.all([
      this.applications.timeline(manager, application),
      this.applications.attachments(manager, application),
      this.applications.documents(manager, application),
      this.clock.pauses(manager, application.id),
      this.calendars.current(manager),
    ]);
    return toApplication(application, timeline, attachments, documents, deadlineWindow(calendar), pauses);
  }
}
