import { createHash } from 'node:crypto';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { ExchangeLog } from '@umg/exchange-log';
import { currentCorrelation, type Logger } from '@umg/logging';
import { SERVICE_LOGGER } from '@umg/platform';
import type { DistrictPrincipal } from '../auth/district-principal';

/**
 * Appends every district API exchange to the gateway's hash-chained exchange log once its answer
 * is sent: who, what (the route, not the ids), when, the request id and the body's hash, the status.
 */
@Injectable()
export class DistrictExchangeLogMiddleware implements NestMiddleware {
  constructor(
    private readonly dataSource: DataSource,
    private readonly exchangeLog: ExchangeLog,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const occurredAt = new Date();
    const requestId = currentCorrelation()?.correlationId ?? 'unknown';
    response.on('finish', () => {
      const principal = (request as Request & { user?: DistrictPrincipal }).user;
      const file = (request as Request & { file?: { buffer: Buffer } }).file;
      const requestHash = createHash('sha256')
        .update(JSON.stringify(request.body ?? null))
        .update(file?.buffer ?? Buffer.alloc(0))
        .digest('hex');
      const route = (request.route as { path?: string } | undefined)?.path ?? request.path;
      this.exchangeLog
        .appendAlone(this.dataSource, {
          occurredAt,
          party: principal ? `district:${principal.clientId}` : 'anonymous',
          direction: 'inbound',
          operation: `${request.method} ${route}`,
          requestId,
          requestHash,
          outcome: String(response.statusCode),
        })
        .catch((error: unknown) => this.logger.error({ err: error }, 'exchange log append failed'));
    });
    next();
  }
}
