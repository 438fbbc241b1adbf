import { PaymentSystemSimulator, realRetryScheduleMs } from './payment-system-simulator';

/**
 * The payment-system simulator as a process (tests and `npm start` run it so): configured by
 * environment variables, it logs one line per event to stdout.
 */
async function main(): Promise<void> {
  const env = process.env;
  const port = Number(env.PAYMENT_SIMULATOR_PORT ?? 3105);
  const retry = env.PAYMENT_SIMULATOR_RETRY_MS;
  const autoPayShare = env.PAYMENT_SIMULATOR_AUTO_PAY_SHARE;
  const simulator = new PaymentSystemSimulator({
    clients: [
      {
        clientId: env.PAYMENT_SYSTEM_CLIENT_ID ?? 'sofia-umg-dev',
        secret: env.PAYMENT_SYSTEM_SECRET ?? 'dev-payment-system-secret-0000',
      },
    ],
    retryScheduleMs: retry ? retry.split(',').map(Number) : realRetryScheduleMs,
    settleMs: Number(env.PAYMENT_SIMULATOR_SETTLE_MS ?? 1_000),
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
  await simulator.start(port);
  process.stdout.write(`${new Date().toISOString()} payment system simulator on http://127.0.0.1:${port}\n`);
  const stop = () => void simulator.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
