import type { OnBehalfOf, ServiceName } from '@umg/platform';
import { signAsService } from '../../tools/dev/gateway-signature';

function pkiDir(): string {
  const dir = process.env.TEST_PKI_DIR;
  if (!dir) throw new Error('TEST_PKI_DIR is not set: run the tests with "npm test"');
  return dir;
}

const signers = new Map<ServiceName, ReturnType<typeof signAsService>>();

/** As `service` signs, with the test PKI's key of that service (`TEST_PKI_DIR/services/<service>`). */
export function asService(
  service: ServiceName,
  audience: ServiceName,
  onBehalfOf?: OnBehalfOf,
): Promise<{ authorization: string }> {
  let sign = signers.get(service);
  if (!sign) signers.set(service, (sign = signAsService(pkiDir(), service)));
  return sign(audience, onBehalfOf);
}

/**
 * The headers of a call to an internal API made as the gateway makes it, for someone when given:
 * integration tests that call a service directly.
 */
export function asGateway(audience: ServiceName, onBehalfOf?: OnBehalfOf): Promise<{ authorization: string }> {
  return asService('gateway', audience, onBehalfOf);
}

/** The operator a test acts as, as the gateway's session would name them. */
export const testOperator = (id = 'op-ivanova'): OnBehalfOf => ({ operator: { id, role: 'administrator' } });
