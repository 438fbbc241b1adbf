import { EventEmitter } from 'node:events';
import type { ExecutionContext } from '@nestjs/common';
import { ProblemException } from '@umg/problem';
import type { GatewayConfig } from '../config';
import { ResultUploadSlotsGuard } from './result-upload-slots.guard';

const exchange = () => {
  const headers: Record<string, string> = {};
  const response = Object.assign(new EventEmitter(), {
    headers,
    setHeader: (name: string, value: string) => (headers[name] = value),
  });
  const context = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ExecutionContext;
  return { response, context };
};

describe('ResultUploadSlotsGuard', () => {
  it('lets GATEWAY_RESULT_UPLOADS_IN_FLIGHT uploads in at once, refuses the next with 503 and Retry-After, and frees a slot when one ends', () => {
    const guard = new ResultUploadSlotsGuard({ GATEWAY_RESULT_UPLOADS_IN_FLIGHT: 2 } as GatewayConfig);
    const first = exchange();
    expect(guard.canActivate(first.context)).toBe(true);
    expect(guard.canActivate(exchange().context)).toBe(true);
    let refusal: unknown;
    const third = exchange();
    try {
      guard.canActivate(third.context);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ProblemException);
    expect(refusal).toMatchObject({ status: 503, code: 'uploads_busy', headers: { 'Retry-After': '2' } });
    // The refused body is not read to keep the connection: it closes after the answer.
    expect(third.response.headers).toEqual({ Connection: 'close' });
    first.response.emit('close');
    expect(guard.canActivate(exchange().context)).toBe(true);
  });
});
