import { EDeliverySimulator } from './e-delivery-simulator';

/**
 * The e-delivery simulator as a process of its own (the test runner blocks its own event loop
 * while jest runs, so the simulator cannot live in it). Settings from the environment.
 */
async function main(): Promise<void> {
  const simulator = new EDeliverySimulator({
    receiptDelayMs: Number(process.env.E_DELIVERY_SIM_RECEIPT_DELAY_MS ?? 2_000),
    openRegistration: process.env.E_DELIVERY_SIM_OPEN_REGISTRATION !== 'false',
  });
  const url = await simulator.start(Number(process.env.E_DELIVERY_SIM_PORT ?? 3106));
  process.stdout.write(`e-delivery simulator listening on ${url}\n`);
  const stop = () => void simulator.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
