import type { NextFunction, Request, Response } from 'express';
import { type ExchangeRecorder, sha256Hex } from '@umg/exchange-log';

/**
 * Records an inbound call from the state platform or a back office in the exchange log once it
 * is answered: who (by `partyOf`), the route, the hash of the raw body, the status.
 */
export function inboundExchangeMiddleware(recorder: ExchangeRecorder, partyOf: (request: Request) => string) {
  return (request: Request, response: Response, next: NextFunction): void => {
    response.on('finish', () => {
      const raw = (request as Request & { rawBody?: Buffer }).rawBody;
      recorder.record({
        party: partyOf(request),
        direction: 'inbound',
        operation: `${request.method} ${request.baseUrl}${request.route ? (request.route as { path: string }).path : request.path}`,
        requestHash: sha256Hex(raw ?? JSON.stringify(request.body ?? null)),
        outcome: String(response.statusCode),
      });
    });
    next();
  };
}
