import { join } from 'node:path';
import { districts } from '@umg/catalogue';
import { createLogger } from '@umg/logging';
import { runDemoDistricts } from '../simulators/district-pull/demo-districts';
import { runDemoTraffic } from '../simulators/portal/demo-traffic';
import { initPki } from '../pki/certificate-authority';
import { publishRevocationList, withGatewayDatabase } from '../pki/gateway-database';
import { saveOperator } from '../../services/gateway/src/operators/operator-accounts';
import {
  configureBackOffice,
  demoOnboarding,
  demoOperatorSession,
  onboardDistrict,
  pilotServices,
} from './demo-onboarding';
import {
  createTopics,
  devLayout,
  startEDelivery,
  ensurePostgres,
  kafkaScript,
  localBroker,
  startPaymentSystemSimulator,
  startBackOfficeSimulators,
  startServices,
  stopBackOfficeSimulators,
  stopServices,
} from './local-system';
import { localKafkaConnection } from './kafka-identities';
import { Runner } from '../cli/supervision';

/**
 * `npm start`: the whole gateway on this machine — PostgreSQL (started if down), a real Kafka
 * broker, every service (migrations run at their start-up), the simulators with demo traffic.
 * Ctrl-C (or SIGTERM, SIGHUP) stops everything it started, last started first, and exits 130.
 */
async function main(runner: Runner): Promise<number> {
  const logger = createLogger('umg', 'info');
  const layout = devLayout;
  const ownBroker = !process.env.KAFKA_BROKERS;
  await ensurePostgres(layout.databaseUrl);
  // Registered before the start: a broker interrupted while starting is stopped too.
  if (ownBroker) runner.onStop('the Kafka broker', () => kafkaScript('stop', layout));
  if (ownBroker) kafkaScript('start', layout);
  await createTopics(layout);
  // The development PKI (.data/pki/): the gateway's CA, server certificate and token key, made once.
  const created = await initPki(join(layout.dataDir, 'pki'));
  if (created.length > 0) logger.info({ created }, 'development PKI created');
  // A fresh revocation list at every start (the development signer is this machine): without a
  // current one the gateway refuses every client certificate.
  await withGatewayDatabase(layout.databaseUrl, (dataSource) =>
    publishRevocationList(dataSource, join(layout.dataDir, 'pki')),
  );
  // Simulated citizens pay 85 % of payment requests a few seconds after they are made.
  const stopPaymentSystem = startPaymentSystemSimulator(layout, { PAYMENT_SIMULATOR_AUTO_PAY_SHARE: '0.85' });
  runner.onStop('the payment system simulator', stopPaymentSystem);
  // Every person and company has a profile; recipients open their messages 5 s after sending.
  const eDelivery = await startEDelivery(layout, 5_000);
  runner.onStop('the e-delivery simulator', () => eDelivery.stop());
  logger.info('starting services (logs in .data/logs/)');
  const backOffices = await startBackOfficeSimulators(layout);
  runner.onStop('the back-office simulators', () => stopBackOfficeSimulators(backOffices));
  const services = await startServices(layout);
  runner.onStop('the services', () => stopServices(services));
  const print = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)}  ${line}\n`);
  // Console accounts for the demo, one per role, marked as demo accounts: the gateway refuses them in production.
  await withGatewayDatabase(layout.databaseUrl, async (dataSource) => {
    for (const role of ['viewer', 'operator', 'administrator'] as const) {
      await saveOperator(dataSource, `demo-${role}`, role, demoPassword(role), { demo: true });
    }
  });
  // Districts that went through onboarding in this demo take part of the traffic once in pilot.
  const onboarded: string[] = [];
  const stopDemo = await runDemoTraffic(
    localKafkaConnection(localBroker(layout), 'portal'),
    Number(process.env.DEMO_PER_MINUTE ?? 20),
    print,
    () =>
      onboarded.length > 0 && Math.random() < 0.3
        ? {
            districtCode: onboarded[Math.floor(Math.random() * onboarded.length)]!,
            serviceNumber: pilotServices[Math.floor(Math.random() * pilotServices.length)]!,
          }
        : {},
    // The pilots' applications come as the portal sends them: e-delivery messages to their inboxes.
    { url: eDelivery.url, districts: districts.filter((district) => district.pilot).map((district) => district.code) },
  );
  runner.onStop('the demo traffic', stopDemo);

  const gateway = services.get('gateway')!.url;
  const backOfficeUrls = {
    nestedJson: `http://127.0.0.1:${layout.backOfficePorts.nestedJson}`,
    soap12: `http://127.0.0.1:${layout.backOfficePorts.soap12}`,
  };
  const stopDistricts = runDemoDistricts(gateway, (code) => `dev-key-${code}-0000`, print);
  runner.onStop('the demo districts', stopDistricts);
  void (async () => {
    let session;
    try {
      session = await demoOperatorSession(gateway);
    } catch (error) {
      print(`rollout: demo onboarding not started: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    for (const { code } of demoOnboarding) {
      try {
        await configureBackOffice(session, code, backOfficeUrls, print);
        if (await onboardDistrict(session, code, print)) onboarded.push(code);
      } catch (error) {
        print(`rollout: ${code} onboarding stopped: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })();
  process.stdout.write(
    [
      '',
      'The Unified Model gateway is up:',
      `  district API   ${gateway}/v1/applications/{id}   (X-Api-Key: dev-key-serdika-0000)`,
      `  mutual TLS     https://127.0.0.1:${process.env.GATEWAY_TLS_PORT ?? 3443}/v1/applications/{id}   (npm run pki -- issue serdika)`,
      `  OAuth2         ${gateway}/oauth/token   (npm run pki -- oauth-client serdika)`,
      `  API docs       ${gateway}/docs/   (reference, bundled contract, TypeScript client, onboarding walkthrough)`,
      `  health         ${gateway}/health/ready   (checks one by one: http://127.0.0.1:${layout.managementPorts.gateway}/health/ready)`,
      `  console        ${gateway}/console/   (demo-viewer / demo-operator / demo-administrator, password ${demoPassword('<role>')})`,
      ...[...services.values()].map((service) => `  ${service.name.padEnd(14)} ${service.url}`),
      `  callbacks      http://127.0.0.1:${layout.callbackPorts.payments} (payment notifications), http://127.0.0.1:${layout.callbackPorts.districts} (back-office answers)`,
      `  management     ${Object.values(layout.managementPorts).join(', ')}   (/metrics, /health/ready with checks)`,
      `  payment system http://127.0.0.1:${layout.paymentSystemPort}   (simulator; log in .data/logs/)`,
      `  e-delivery     ${eDelivery.url}   (simulator of ССЕВ; inboxes: /_sim/inbox/{ЕГН or unit identifier})`,
      `  back offices   http://127.0.0.1:${layout.backOfficePorts.json} (JSON, Sredets), http://127.0.0.1:${layout.backOfficePorts.soap} (SOAP, Oborishte), http://127.0.0.1:${layout.backOfficePorts.soap12} (SOAP 1.2, WS-Security, MTOM: Izgrev), http://127.0.0.1:${layout.backOfficePorts.nestedJson} (nested JSON, onboarded by mapping)`,
      `  kafka          ${layout.kafkaBrokers}`,
      `  postgres       ${layout.databaseUrl}`,
      'Demo traffic follows: the portal simulator files applications, the pilot districts’ back offices',
      'register and process them through the district API; Sredets (JSON push), Oborishte (SOAP push) and',
      'Lozenets (pull) go through onboarding, conformance and pilot. Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  // Runs until a signal stops it.
  return new Promise<number>(() => undefined);
}

function demoPassword(role: string): string {
  return `demo-${role}-password`;
}

new Runner().run(main);
