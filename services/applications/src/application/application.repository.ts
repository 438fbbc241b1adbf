import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';
import { applicationColumns, applicationFromRow, type ApplicationRow } from './application-row';
import type { ApplicationEntity } from './application.entity';
import type { DistrictScope } from './district-scope';

/** District-scoped access to applications: there is no way to read one without a scope. */
@Injectable()
export class ApplicationRepository {
  /** The application of the scope's district; `lock` for a decision (FOR UPDATE). */
  async get(manager: EntityManager, scope: DistrictScope, id: string, lock = false): Promise<ApplicationEntity> {
    const application = isUuid(id)
      ? await readOne(manager, `a.id = $1 AND a.district_code = $2${lock ? ' FOR UPDATE' : ''}`, [
          id,
          scope.districtCode,
        ])
      : undefined;
    // Another district's application reads exactly like a missing one: existence is not leaked.
    if (!application) throw new ApplicationError(ApplicationErrorCode.NotFound, `no application ${id}`);
    return application;
  }

  /**
   * For the system's own reactions to events (a payment arrived, a delivery was received): no
   * district acts there. Never call it with an id that came from a district's request.
   */
  async getForSystem(manager: EntityManager, id: string): Promise<ApplicationEntity | null> {
    return isUuid(id) ? ((await readOne(manager, `a.id = $1 FOR UPDATE`, [id])) ?? null) : null;
  }

  /** For an operator's read, in any district (the operator claim was checked); never for a district's request. */
  async getForOperator(manager: EntityManager, id: string): Promise<ApplicationEntity> {
    const application = isUuid(id) ? await readOne(manager, `a.id = $1`, [id]) : undefined;
    if (!application) throw new ApplicationError(ApplicationErrorCode.NotFound, `no application ${id}`);
    return application;
  }
}

async function readOne(
  manager: EntityManager,
  condition: string,
  values: unknown[],
): Promise<ApplicationEntity | undefined> {
  const [row] = (await manager.query(
    `SELECT ${applicationColumns} FROM applications.application a WHERE ${condition}`,
    values,
  )) as ApplicationRow[];
  return row && applicationFromRow(row);
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
