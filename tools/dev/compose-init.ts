import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { districts } from '@umg/catalogue';
import { exchangeLogKeyFiles, type ServiceName, serviceIdentityFiles } from '@umg/config';
import { kafkaUsers } from '@umg/messaging';
import { initPki, pkiFiles } from '../pki/certificate-authority';
import { initExchangeLogKeys } from '../pki/exchange-log-keys';
import { publishRevocationList, withGatewayDatabase } from '../pki/gateway-database';
import { initKafkaBrokerTls, kafkaTlsFiles } from '../pki/kafka-broker-tls';
import { ensureServiceIdentityKeys, serviceIdentityDir } from '../pki/service-identity-keys';
import { ensureEDeliveryCredentials } from './e-delivery-credentials';

/**
 * The callers each service accepts (as its main.ts passes them to serviceIdentityOrExit): it gets
 * their public identity keys. test/docker-compose.spec.ts checks this against the main.ts files.
 */
export const composeCallers: Record<ServiceName, ServiceName[]> = {
  gateway: [],
  applications: ['gateway', 'delivery'],
  payments: ['gateway'],
  delivery: ['gateway'],
  districts: ['gateway', 'delivery', 'applications'],
};

/** The compose set's containers that get a folder of their own in the secrets volume. */
export const composeBundles = [
  'kafka-broker',
  'kafka-setup',
  'gateway',
  'applications',
  'payments',
  'delivery',
  'districts',
  'e-delivery-simulator',
  'demo',
] as const;
export type ComposeBundle = (typeof composeBundles)[number];

/**
 * Makes what is missing of the compose set's development secrets in `dir` (the `umg-secrets`
 * volume), then lays out each container's folder with only the files it reads:
 *   master/   everything, the CA key included (only this init and the `pki-signer` mount it)
 *   <bundle>/ a copy of what one container needs (docker-compose.yml mounts that sub-path alone).
 * Idempotent: keys and passwords are made once; the copies are refreshed at every start, so a
 * client certificate revoked or an OAuth client added by the signer reaches the gateway at its restart.
 */
export async function ensureComposeSecrets(dir: string): Promise<string[]> {
  const master = join(dir, 'master');
  const pki = join(master, 'pki');
  const created = [...(await initPki(pki)), ...ensureServiceIdentityKeys(pki), ...initExchangeLogKeys(pki)];
  // The broker's certificate names `kafka`, the compose network's host name of the broker.
  if (await initKafkaBrokerTls(join(master, 'kafka/tls'), ['kafka'])) created.push(join(master, 'kafka/tls'));
  mkdirSync(join(master, 'kafka/credentials'), { recursive: true, mode: 0o700 });
  for (const user of kafkaUsers) {
    const file = join(master, 'kafka/credentials', `${user}.password`);
    if (!existsSync(file)) {
      writeFileSync(file, randomBytes(24).toString('hex'), { mode: 0o600 });
      created.push(file);
    }
  }
  // No OAuth clients yet: `docker compose run --rm pki-signer oauth-client <district>` adds them.
  if (!existsSync(pkiFiles(pki).oauthClients)) writeFileSync(pkiFiles(pki).oauthClients, '[]\n');
  const pilots = districts.filter((district) => district.pilot).map((district) => district.code);
  await ensureEDeliveryCredentials(join(master, 'e-delivery-credentials'), ['default', ...pilots]);
  const keyring = join(master, 'district-secrets.keyring');
  if (!existsSync(keyring)) {
    writeFileSync(keyring, `compose ${randomBytes(48).toString('base64')}\n`, { mode: 0o600 });
    created.push(keyring);
  }
  for (const bundle of composeBundles) layOut(dir, bundle);
  return created;
}

/**
 * A fresh revocation list in the database at every start, signed with the CA key in `master/pki`
 * (as `npm start` does): without a current one the gateway refuses every client certificate.
 */
export async function publishComposeRevocationList(dir: string, databaseUrl: string): Promise<void> {
  await withGatewayDatabase(databaseUrl, (dataSource) => publishRevocationList(dataSource, join(dir, 'master/pki')));
}

/** Copies one file into a container's folder (made private: each folder is one container's). */
function put(from: string, to: string): void {
  mkdirSync(join(to, '..'), { recursive: true, mode: 0o700 });
  copyFileSync(from, to);
}

function layOut(dir: string, bundle: ComposeBundle): void {
  const master = join(dir, 'master');
  const out = join(dir, bundle);
  const credentials = join(master, 'kafka/credentials');
  const caCert = kafkaTlsFiles(join(master, 'kafka/tls')).caCert;
  /** A Kafka client's identity: its user's password and the broker's CA certificate. */
  const kafkaClient = (user: string) => {
    put(join(credentials, `${user}.password`), join(out, 'kafka/password'));
    put(caCert, join(out, 'kafka/ca.cert.pem'));
  };
  if (bundle === 'kafka-broker') {
    const tls = kafkaTlsFiles(join(master, 'kafka/tls'));
    for (const file of [tls.caCert, tls.serverCert, tls.serverKey]) put(file, join(out, 'tls', file.split('/').pop()!));
    for (const user of kafkaUsers)
      put(join(credentials, `${user}.password`), join(out, 'credentials', `${user}.password`));
    return;
  }
  if (bundle === 'kafka-setup') return kafkaClient('admin');
  if (bundle === 'demo') return kafkaClient('portal');
  if (bundle === 'e-delivery-simulator') {
    // ССЕВ's side knows the districts' certificates only (their logins), never their keys.
    const from = join(master, 'e-delivery-credentials');
    for (const file of readdirSync(from).filter((name) => name.endsWith('.crt.pem'))) {
      put(join(from, file), join(out, 'certificates', file));
    }
    return;
  }
  const service: ServiceName = bundle;
  kafkaClient(service);
  const identities = serviceIdentityDir(join(master, 'pki'));
  const own = serviceIdentityFiles(identities, service);
  put(own.privateKey, join(out, 'identity', service, 'identity.key.pem'));
  for (const caller of composeCallers[service]) {
    put(serviceIdentityFiles(identities, caller).publicKey, join(out, 'identity', caller, 'identity.public.pem'));
  }
  put(exchangeLogKeyFiles(join(master, 'pki'), service).privateKey, join(out, 'exchange-log/exchange-log.key.pem'));
  if (service === 'gateway') {
    // The files the gateway reads, named one by one: never the CA key, issued.json or a district's key.
    const files = pkiFiles(join(master, 'pki'));
    for (const file of [files.caCert, files.serverCert, files.serverKey, files.oauthSigningKey, files.oauthClients]) {
      if (existsSync(file)) put(file, join(out, 'pki', file.split('/').pop()!));
    }
  }
  if (service === 'delivery') {
    const from = join(master, 'e-delivery-credentials');
    for (const file of readdirSync(from)) put(join(from, file), join(out, 'e-delivery', file));
  }
  if (service === 'districts') {
    put(join(master, 'district-secrets.keyring'), join(out, 'district-secrets/keyring'));
    // WS-Security keys for SOAP push back offices: none in the compose set (its back offices pull).
    mkdirSync(join(out, 'push-signing-keys'), { recursive: true, mode: 0o700 });
  }
}

// `node dist/tools/dev/compose-init.js`: the compose set's one-shot `secrets` service.
if (require.main === module) {
  const dir = process.env.COMPOSE_SECRETS_DIR ?? '/run/umg-secrets';
  ensureComposeSecrets(dir).then(
    async (created) => {
      if (process.env.DATABASE_URL) await publishComposeRevocationList(dir, process.env.DATABASE_URL);
      console.log(created.length ? `created:\n  ${created.join('\n  ')}` : `${dir}: complete, nothing to make`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
