import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Post } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ExecutionContext } from '@nestjs/common';
import { SignJWT } from 'jose';
import { ConfigError } from '@umg/config';
import { ProblemException } from '@umg/problem';
import { PublicCallback } from '../public-callback.decorator';
import { CallableBy } from './callable-by.decorator';
import { keyIdOf, loadServiceIdentity, type ServiceIdentity } from './service-identity-keys';
import { type RequestWithCaller, ServiceIdentityGuard } from './service-identity.guard';
import type { OnBehalfOf, ServiceName } from './service-token';
import { ServiceTokenIssuer } from './service-token-issuer';
import { ServiceTokenVerifier } from './service-token-verifier';

const keys = Object.fromEntries(
  (['gateway', 'delivery', 'districts', 'stranger'] as const).map((name) => [
    name,
    generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  ]),
) as Record<'gateway' | 'delivery' | 'districts' | 'stranger', { privateKey: KeyObject; publicKey: KeyObject }>;

async function identityOf(service: ServiceName, privateKey: KeyObject): Promise<ServiceIdentity> {
  return { service, privateKey, keyId: await keyIdOf(privateKey), trustedKeys: new Map() };
}

/** The districts service, trusting the gateway's and delivery's keys. */
async function districtsVerifier(now = Date.now): Promise<ServiceTokenVerifier> {
  const trustedKeys = new Map([
    [await keyIdOf(keys.gateway.publicKey), { service: 'gateway' as const, key: keys.gateway.publicKey }],
    [await keyIdOf(keys.delivery.publicKey), { service: 'delivery' as const, key: keys.delivery.publicKey }],
  ]);
  return new ServiceTokenVerifier({ service: 'districts', trustedKeys }, now);
}

async function issuer(service: 'gateway' | 'delivery' | 'stranger', now = Date.now, lifetime = 60) {
  return new ServiceTokenIssuer(
    await identityOf(service === 'stranger' ? 'gateway' : service, keys[service].privateKey),
    lifetime,
    now,
  );
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string; detail?: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProblemException) return { status: error.status, code: error.code, detail: error.detail };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('service tokens', () => {
  it('a gateway token for districts verifies, with the operator it acts for', async () => {
    const token = await (await issuer('gateway')).token('districts', { operator: { id: 'ivana', role: 'operator' } });
    await expect((await districtsVerifier()).verify(token)).resolves.toEqual({
      service: 'gateway',
      operator: { id: 'ivana', role: 'operator' },
    });
  });

  it('reuses a token until shortly before expiry instead of signing per request', async () => {
    let now = Date.parse('2026-12-06T10:00:00Z');
    const gateway = await issuer('gateway', () => now);
    const first = await gateway.token('districts');
    now += 30_000;
    expect(await gateway.token('districts')).toBe(first);
    expect(await gateway.token('applications')).not.toBe(first);
    now += 20_000; // 50 s: within 15 s of expiry, a fresh one
    expect(await gateway.token('districts')).not.toBe(first);
  });

  it('a token for another operator is another token', async () => {
    const gateway = await issuer('gateway');
    const a = await gateway.token('districts', { operator: { id: 'a', role: 'viewer' } });
    const b = await gateway.token('districts', { operator: { id: 'b', role: 'viewer' } });
    expect(a).not.toBe(b);
  });

  it('refuses an expired token', async () => {
    const issuedAt = Date.parse('2026-12-06T10:00:00Z');
    const token = await (await issuer('gateway', () => issuedAt)).token('districts');
    const verifier = await districtsVerifier(() => issuedAt + 120_000);
    expect(await refusal(verifier.verify(token))).toMatchObject({
      status: 401,
      code: 'service_token_invalid',
      detail: 'the token has expired',
    });
  });

  it('refuses a token addressed to another service', async () => {
    const token = await (await issuer('gateway')).token('applications');
    expect(await refusal((await districtsVerifier()).verify(token))).toMatchObject({
      status: 401,
      code: 'service_token_invalid',
    });
  });

  it('refuses a token signed by a key it does not know, whatever it claims', async () => {
    const token = await (
      await issuer('stranger')
    ).token('districts', { operator: { id: 'admin', role: 'administrator' } });
    expect(await refusal((await districtsVerifier()).verify(token))).toMatchObject({
      status: 401,
      code: 'service_token_invalid',
      detail: 'signed by a key this service does not know',
    });
  });

  it('refuses a token living longer than 60 s, even when signed by a known key', async () => {
    const token = await (await issuer('gateway', Date.now, 3600)).token('districts');
    expect(await refusal((await districtsVerifier()).verify(token))).toMatchObject({ code: 'service_token_invalid' });
  });

  it('refuses a token whose iss is not the service whose key signed it', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: await keyIdOf(keys.delivery.privateKey) })
      .setIssuer('gateway')
      .setSubject('gateway')
      .setAudience('districts')
      .setIssuedAt(now)
      .setExpirationTime(now + 30)
      .sign(keys.delivery.privateKey);
    expect(await refusal((await districtsVerifier()).verify(token))).toMatchObject({ code: 'service_token_invalid' });
  });

  it.each<OnBehalfOf>([
    { operator: { id: 'admin', role: 'administrator' } },
    { actor: { districtCode: 'serdika', clientId: 'serdika:token:x' } },
  ])('refuses an operator or district claim signed by a service other than the gateway (%j)', async (claim) => {
    const token = await (await issuer('delivery')).token('districts', claim);
    expect(await refusal((await districtsVerifier()).verify(token))).toMatchObject({
      status: 403,
      code: 'caller_not_allowed',
    });
  });

  it('refuses a malformed operator claim', async () => {
    const token = await (
      await issuer('gateway')
    ).token('districts', {
      operator: { id: 'x', role: 'root' as never },
    });
    expect(await refusal((await districtsVerifier()).verify(token))).toMatchObject({ code: 'service_token_invalid' });
  });
});

@Controller('internal/v1/things')
@CallableBy('gateway')
class ThingsController {
  @Get()
  list(): void {}

  @Get('shared')
  @CallableBy('gateway', 'delivery')
  shared(): void {}
}

@Controller('internal/v1/forgotten')
class ForgottenController {
  @Get()
  list(): void {}
}

@Controller('callbacks')
class CallbackController {
  @Post()
  @PublicCallback()
  receive(): void {}
}

describe('ServiceIdentityGuard', () => {
  function context(handler: () => void, controller: object, authorization?: string) {
    const request = { header: (name: string) => (name === 'authorization' ? authorization : undefined) };
    return {
      request: request as unknown as RequestWithCaller,
      context: {
        getType: () => 'http',
        getHandler: () => handler,
        getClass: () => controller,
        switchToHttp: () => ({ getRequest: () => request }),
      } as unknown as ExecutionContext,
    };
  }

  async function guard() {
    return new ServiceIdentityGuard(new Reflector(), await districtsVerifier());
  }

  it('lets a named caller through and puts the caller on the request', async () => {
    const token = await (await issuer('gateway')).authorization('districts');
    const { context: ctx, request } = context(ThingsController.prototype.list, ThingsController, token);
    await expect((await guard()).canActivate(ctx)).resolves.toBe(true);
    expect(request.serviceCaller).toEqual({ service: 'gateway' });
  });

  it('refuses a call without a token (401 service_token_missing)', async () => {
    const { context: ctx } = context(ThingsController.prototype.list, ThingsController);
    expect(await refusal((await guard()).canActivate(ctx))).toMatchObject({
      status: 401,
      code: 'service_token_missing',
    });
  });

  it('refuses a caller the route does not name (403 caller_not_allowed)', async () => {
    const token = await (await issuer('delivery')).authorization('districts');
    const { context: ctx } = context(ThingsController.prototype.list, ThingsController, token);
    expect(await refusal((await guard()).canActivate(ctx))).toMatchObject({ status: 403, code: 'caller_not_allowed' });
    const shared = context(ThingsController.prototype.shared, ThingsController, token);
    await expect((await guard()).canActivate(shared.context)).resolves.toBe(true);
  });

  it('refuses every caller of a route that names none (deny by default)', async () => {
    const token = await (await issuer('gateway')).authorization('districts');
    const { context: ctx } = context(ForgottenController.prototype.list, ForgottenController, token);
    expect(await refusal((await guard()).canActivate(ctx))).toMatchObject({ status: 403, code: 'caller_not_allowed' });
  });

  it('refuses a token in another scheme', async () => {
    const token = await (await issuer('gateway')).token('districts');
    const { context: ctx } = context(ThingsController.prototype.list, ThingsController, `Basic ${token}`);
    expect(await refusal((await guard()).canActivate(ctx))).toMatchObject({
      status: 401,
      code: 'service_token_invalid',
    });
  });

  it('lets a public callback through without a token (it proves itself by HMAC)', async () => {
    const { context: ctx } = context(CallbackController.prototype.receive, CallbackController);
    await expect((await guard()).canActivate(ctx)).resolves.toBe(true);
  });
});

describe('loadServiceIdentity', () => {
  function folder(): string {
    const dir = mkdtempSync(join(tmpdir(), 'service-identity-'));
    for (const [service, pair] of [
      ['districts', keys.districts],
      ['gateway', keys.gateway],
    ] as const) {
      mkdirSync(join(dir, service));
      writeFileSync(join(dir, service, 'identity.key.pem'), pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      writeFileSync(join(dir, service, 'identity.public.pem'), pair.publicKey.export({ type: 'spki', format: 'pem' }));
    }
    return dir;
  }

  it('reads its own key and every public key of its callers (a second one while rotating)', async () => {
    const dir = folder();
    writeFileSync(
      join(dir, 'gateway', 'identity.next.public.pem'),
      keys.stranger.publicKey.export({ type: 'spki', format: 'pem' }),
    );
    const identity = await loadServiceIdentity(dir, 'districts', ['gateway']);
    expect(identity.keyId).toBe(await keyIdOf(keys.districts.publicKey));
    expect([...identity.trustedKeys.values()].map((trusted) => trusted.service)).toEqual(['gateway', 'gateway']);
  });

  it('refuses to start without a caller’s public key or its own key', async () => {
    const dir = folder();
    await expect(loadServiceIdentity(dir, 'districts', ['gateway', 'delivery'])).rejects.toThrow(ConfigError);
    await expect(loadServiceIdentity(dir, 'payments', ['gateway'])).rejects.toThrow(/identity.key.pem/);
    await expect(loadServiceIdentity(undefined, 'payments', ['gateway'])).rejects.toThrow(/SERVICE_IDENTITY_DIR/);
  });
});
