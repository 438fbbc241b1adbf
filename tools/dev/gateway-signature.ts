import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { keyIdOf, type OnBehalfOf, type ServiceName, serviceIdentityFiles, ServiceTokenIssuer } from '@umg/platform';
import { serviceIdentityDir } from '../pki/service-identity-keys';

/** Builds the `Authorization` header of a call to `audience`, for someone when given. */
export type SignAsGateway = (audience: ServiceName, onBehalfOf?: OnBehalfOf) => Promise<{ authorization: string }>;

/**
 * Signs like the gateway, with the gateway key of a PKI folder this harness made itself (chaos,
 * the attack's test run): for test harnesses that drive internal APIs directly, never for
 * operators' tools, which go through the gateway's operator API.
 */
export function signAsGateway(pkiDir: string): SignAsGateway {
  return signAsService(pkiDir, 'gateway');
}

/** Signs as `service` with its key in the PKI folder (an attack or test proving a route refuses that service). */
export function signAsService(pkiDir: string, service: ServiceName): SignAsGateway {
  let issuer: Promise<ServiceTokenIssuer> | undefined;
  return async (audience, onBehalfOf) => {
    issuer ??= (async () => {
      const file = serviceIdentityFiles(serviceIdentityDir(pkiDir), service).privateKey;
      const privateKey = createPrivateKey(readFileSync(file));
      return new ServiceTokenIssuer({ service, privateKey, keyId: await keyIdOf(privateKey) });
    })();
    return { authorization: await (await issuer).authorization(audience, onBehalfOf) };
  };
}
