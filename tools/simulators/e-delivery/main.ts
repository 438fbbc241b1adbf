import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EDeliverySimulator } from './e-delivery-simulator';
import { simulatedUnitIdentifier } from './unit-identifier';
import { findDistrict } from '@umg/catalogue';

/**
 * The e-delivery simulator as a process of its own (the test runner blocks its own event loop
 * while jest runs, so the simulator cannot live in it). Settings from the environment; the
 * integration logins are the certificates (`<district>.crt.pem`) in E_DELIVERY_SIM_CERTIFICATES_DIR,
 * as ССЕВ's administrators register an institution's thumbprint.
 */
async function main(): Promise<void> {
  const simulator = new EDeliverySimulator({
    receiptDelayMs: Number(process.env.E_DELIVERY_SIM_RECEIPT_DELAY_MS ?? 2_000),
    openRegistration: process.env.E_DELIVERY_SIM_OPEN_REGISTRATION !== 'false',
  });
  const certificates = process.env.E_DELIVERY_SIM_CERTIFICATES_DIR;
  if (certificates) {
    for (const file of readdirSync(certificates).filter((name) => name.endsWith('.crt.pem'))) {
      const unit = file.replace(/\.crt\.pem$/, '');
      simulator.registerLogin(
        readFileSync(join(certificates, file), 'utf8'),
        findDistrict(unit) ? simulatedUnitIdentifier(unit) : '000696327',
        `Район ${unit}`,
      );
    }
  }
  // SIMULATOR_HOST: 0.0.0.0 in a container (docker-compose.yml), where other containers call it; loopback otherwise.
  const url = await simulator.start(
    Number(process.env.E_DELIVERY_SIM_PORT ?? 3106),
    process.env.SIMULATOR_HOST ?? '127.0.0.1',
  );
  process.stdout.write(`e-delivery simulator listening on ${url}\n`);
  const stop = () => void simulator.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
