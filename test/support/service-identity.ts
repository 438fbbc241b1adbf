import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyIdOf, type OnBehalfOf, type ServiceName, serviceIdentityFiles, ServiceTokenIssuer } from '@umg/platform';

let issuers: Promise<Map<ServiceName, ServiceTokenIssuer>> | undefined;

/** Signs as a service with the test PKI's key of that service (`TEST_PKI_DIR/services/<service>`). */
async function issuerOf(service: ServiceName): Promise<ServiceTokenIssuer> {
  issuers ??= Promise.resolve(new Map());
  const known = await issuers;
  let issuer = known.get(service);
  if (!issuer) {
    const pkiDir = process.env.TEST_PKI_DIR;
    if (!pkiDir) throw new Error('TEST_PKI_DIR is not set: run the tests with "npm test"');
    const privateKey = createPrivateKey(
      readFileSync(serviceIdentityFiles(join(pkiDir, 'services'), service).privateKey),
    );
    issuer = new ServiceTokenIssuer({ service, privateKey, keyId: await keyIdOf(privateKey) });
    known.set(service, issuer);
  }
  return issuer;
}

/**
 * The headers of a call to an internal API made as the gateway makes it (signed with the test
 * PKI's gateway key), for someone when given: integration tests that call a service directly.
 */
export async function asGateway(audience: ServiceName, onBehalfOf?: OnBehalfOf): Promise<{ authorization: string }> {
  return { authorization: await (await issuerOf('gateway')).authorization(audience, onBehalfOf) };
}

/** As `asGateway`, signed by another service's key (to prove a route refuses it). */
export async function asService(
  service: ServiceName,
  audience: ServiceName,
  onBehalfOf?: OnBehalfOf,
): Promise<{ authorization: string }> {
  return { authorization: await (await issuerOf(service)).authorization(audience, onBehalfOf) };
}

/** The operator a test acts as, as the gateway's session would name them. */
export const testOperator = (id = 'op-ivanova'): OnBehalfOf => ({ operator: { id, role: 'administrator' } });
