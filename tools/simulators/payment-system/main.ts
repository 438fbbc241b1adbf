import {
  PaymentSystemSimulator,
  realRetryScheduleMs,
  type Release,
  type SimulatorClient,
} from './payment-system-simulator';

/**
 * The payment-system simulator as a process (tests and `npm start` run it so): configured by
 * environment variables, it logs one line per event to stdout.
 *
 * PAYMENT_SIMULATOR_PORT (3105), PAYMENT_SYSTEM_CLIENT_ID / PAYMENT_SYSTEM_SECRET (the development
 * client), PAYMENT_SYSTEM_IBANS (its registered IBANs, comma-separated), PAYMENT_SIMULATOR_CLIENTS
 * (JSON array of {clientId, secret, ibans?}), PAYMENT_SIMULATOR_RELEASE (2022 | 2024),
 * PAYMENT_SIMULATOR_RETRY_MS (comma-separated waits), PAYMENT_SIMULATOR_SETTLE_MS,
 * PAYMENT_SIMULATOR_AUTO_PAY_SHARE / _MIN_MS / _MAX_MS, PAYMENT_SIMULATOR_CHANGE_TIME_OFFSET
 * (false: callback times without the UTC offset), SIMULATOR_HOST (its bind address, 127.0.0.1).
 */
async function main(): Promise<void> {
  const env = process.env;
  const port = Number(env.PAYMENT_SIMULATOR_PORT ?? 3105);
  const retry = env.PAYMENT_SIMULATOR_RETRY_MS;
  const autoPayShare = env.PAYMENT_SIMULATOR_AUTO_PAY_SHARE;
  const release = env.PAYMENT_SIMULATOR_RELEASE ?? '2022';
  if (release !== '2022' && release !== '2024') throw new Error('PAYMENT_SIMULATOR_RELEASE is 2022 or 2024');
  const ibans = (env.PAYMENT_SYSTEM_IBANS ?? '')
    .split(',')
    .map((iban) => iban.trim())
    .filter(Boolean);
  const clients: SimulatorClient[] = [
    {
      clientId: env.PAYMENT_SYSTEM_CLIENT_ID ?? 'sofia-umg-dev',
      secret: env.PAYMENT_SYSTEM_SECRET ?? 'dev-payment-system-secret-0000',
      ibans,
    },
    ...parseClients(env.PAYMENT_SIMULATOR_CLIENTS),
  ];
  // A restart on the same day goes on with higher ids (as the real system's persisted counter does).
  const secondsToday = Math.floor((Date.now() % 86_400_000) / 1000);
  const simulator = new PaymentSystemSimulator({
    clients,
    firstCounter: Number(env.PAYMENT_SIMULATOR_FIRST_COUNTER ?? secondsToday * 100 + 1),
    release: release as Release,
    retryScheduleMs: retry ? retry.split(',').map(Number) : realRetryScheduleMs,
    settleMs: Number(env.PAYMENT_SIMULATOR_SETTLE_MS ?? 1_000),
    changeTimeOffset: env.PAYMENT_SIMULATOR_CHANGE_TIME_OFFSET !== 'false',
    ...(autoPayShare
      ? {
          autoPay: {
            share: Number(autoPayShare),
            // Citizens take a few seconds to pay; the bench makes them quick.
            minMs: Number(env.PAYMENT_SIMULATOR_AUTO_PAY_MIN_MS ?? 3_000),
            maxMs: Number(env.PAYMENT_SIMULATOR_AUTO_PAY_MAX_MS ?? 8_000),
            expireOthersAfterMs: 60_000,
          },
        }
      : {}),
    log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
  });
  // SIMULATOR_HOST: 0.0.0.0 in a container (docker-compose.yml), where other containers call it; loopback otherwise.
  await simulator.start(port, env.SIMULATOR_HOST ?? '127.0.0.1');
  process.stdout.write(
    `${new Date().toISOString()} payment system simulator (release ${release}) on http://127.0.0.1:${port}\n`,
  );
  const stop = () => void simulator.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

export function parseClients(text: string | undefined): SimulatorClient[] {
  if (!text) return [];
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value)) throw new Error('PAYMENT_SIMULATOR_CLIENTS is a JSON array');
  return value.map((item: unknown) => {
    const client = item as Partial<SimulatorClient>;
    if (typeof client.clientId !== 'string' || typeof client.secret !== 'string') {
      throw new Error('each of PAYMENT_SIMULATOR_CLIENTS has a clientId and a secret');
    }
    return { clientId: client.clientId, secret: client.secret, ibans: (client.ibans ?? []).map(String) };
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
