import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { OperatorApi } from '@umg/contracts';

export type OperatorAction = OperatorApi.components['schemas']['OperatorAction'];

export interface OperatorActionRecord {
  operator: string;
  role: string;
  method: string;
  route: string;
  path: string;
  districtCode: string | null;
  parameters: Record<string, string>;
  request: unknown;
  status: number;
  problemCode: string | null;
}

export interface OperatorActionQuery {
  operator?: string;
  districtCode?: string;
  /** Entries older than this id (the cursor of the previous page). */
  before?: number;
  limit: number;
}

/** The gateway's audit of operator actions: written by OperatorActionAuditInterceptor, read by the console. */
@Injectable()
export class OperatorActions {
  constructor(private readonly dataSource: DataSource) {}

  async record(action: OperatorActionRecord): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO gateway.operator_action
         (operator, role, method, route, path, district_code, parameters, request, status, problem_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        action.operator,
        action.role,
        action.method,
        action.route,
        action.path,
        action.districtCode,
        JSON.stringify(action.parameters),
        action.request === null ? null : JSON.stringify(action.request),
        action.status,
        action.problemCode,
      ],
    );
  }

  async list(query: OperatorActionQuery): Promise<{ items: OperatorAction[]; nextBefore: number | null }> {
    const rows = (await this.dataSource.query(
      `SELECT id, at, operator, role, method, route, path, district_code, parameters, request, status, problem_code
         FROM gateway.operator_action
        WHERE ($1::text IS NULL OR operator = $1)
          AND ($2::text IS NULL OR district_code = $2)
          AND ($3::bigint IS NULL OR id < $3)
        ORDER BY id DESC
        LIMIT $4`,
      [query.operator ?? null, query.districtCode ?? null, query.before ?? null, query.limit + 1],
    )) as {
      id: string;
      at: Date;
      operator: string;
      role: string;
      method: string;
      route: string;
      path: string;
      district_code: string | null;
      parameters: Record<string, string>;
      request: unknown;
      status: number;
      problem_code: string | null;
    }[];
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((row) => ({
        id: Number(row.id),
        at: row.at.toISOString(),
        operator: row.operator,
        role: row.role as OperatorAction['role'],
        method: row.method,
        route: row.route,
        path: row.path,
        districtCode: row.district_code,
        parameters: row.parameters,
        request: row.request ?? null,
        status: row.status,
        problemCode: row.problem_code,
      })),
      nextBefore: rows.length > query.limit ? Number(page[page.length - 1]!.id) : null,
    };
  }
}
