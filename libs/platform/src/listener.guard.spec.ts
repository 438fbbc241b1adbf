import { Controller, NotFoundException, Post, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IncomingMessage, type ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { InternetFacing, INTERNET_FACING } from './internet-facing.decorator';
import { type ListenerAudience, requestHandlerFor } from './listener-audience';
import { ListenerGuard } from './listener.guard';
import { PUBLIC_CALLBACK, PublicCallback } from './public-callback.decorator';

@PublicCallback()
@Controller('v1/payment-notifications')
class CallbackController {
  @Post()
  receive(): void {}
}

@Controller('internal/v1')
class InternalController {
  @Post('profile')
  change(): void {}

  @InternetFacing()
  @Post('open')
  open(): void {}
}

const callback: ListenerAudience = { name: 'callback', serves: PUBLIC_CALLBACK, exclusive: true };
const internetFacing: ListenerAudience = { name: 'mutual-tls', serves: INTERNET_FACING, exclusive: false };

/** A request as the server of `audience` hands it on (none: the main port). */
function arrivedOn(audience: ListenerAudience | undefined): IncomingMessage {
  const request = new IncomingMessage(new Socket());
  Object.assign(request, { method: 'POST', originalUrl: '/some/path' });
  if (audience) {
    let handed: IncomingMessage | undefined;
    const app = { getHttpAdapter: () => ({ getInstance: () => (req: IncomingMessage) => (handed = req) }) };
    requestHandlerFor(app as never, audience)(request, {} as ServerResponse);
    expect(handed).toBe(request);
  }
  return request;
}

function context(request: IncomingMessage, controller: new () => object, handler: string): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => (controller.prototype as Record<string, unknown>)[handler],
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('ListenerGuard', () => {
  const guard = new ListenerGuard(new Reflector(), [PUBLIC_CALLBACK]);
  const served = (audience: ListenerAudience | undefined, controller: new () => object, handler: string) => {
    try {
      return guard.canActivate(context(arrivedOn(audience), controller, handler));
    } catch (error) {
      expect(error).toBeInstanceOf(NotFoundException);
      expect((error as NotFoundException).message).toBe('Cannot POST /some/path');
      return false;
    }
  };

  it('serves a public callback on the callback listener only', () => {
    expect(served(callback, CallbackController, 'receive')).toBe(true);
    expect(served(undefined, CallbackController, 'receive')).toBe(false);
    expect(served(internetFacing, CallbackController, 'receive')).toBe(false);
  });

  it('serves nothing else on the callback listener', () => {
    expect(served(callback, InternalController, 'change')).toBe(false);
    expect(served(callback, InternalController, 'open')).toBe(false);
    expect(served(undefined, InternalController, 'change')).toBe(true);
  });

  it('serves internet-facing routes on both the internet-facing listener and the main port, and nothing else there', () => {
    expect(served(internetFacing, InternalController, 'open')).toBe(true);
    expect(served(undefined, InternalController, 'open')).toBe(true);
    expect(served(internetFacing, InternalController, 'change')).toBe(false);
  });
});
