import { Injectable } from '@nestjs/common';
import { BulgarianCalendar, computeDeadline } from '@umg/calendar';
import type { CatalogueService, Urgency } from '@umg/catalogue';

/** Due times of applications, in working days of the Bulgarian calendar. */
@Injectable()
export class DeadlineCalculator {
  private readonly calendar = new BulgarianCalendar();

  dueAt(service: CatalogueService, urgency: Urgency, receivedAt: Date): Date | null {
    const term = service.urgencies.find((offered) => offered.urgency === urgency)?.deadline;
    return term ? computeDeadline(this.calendar, receivedAt, term) : null;
  }
}
