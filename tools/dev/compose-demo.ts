import { z } from 'zod';
import { districts } from '@umg/catalogue';
import { commonConfigShape, kafkaConnection, loadConfig } from '@umg/config';
import { runDemoTraffic } from '../simulators/portal/demo-traffic';

/** The demo's settings: the usual Kafka ones (it is the state portal's Kafka user) and the e-delivery simulator. */
export const composeDemoConfigSchema = z.object({
  ...commonConfigShape,
  E_DELIVERY_URL: z.url().describe('The e-delivery simulator: the pilots’ applications are also filed there.'),
  DEMO_PER_MINUTE: z.coerce.number().int().min(1).max(600).default(20),
});

/**
 * `node dist/tools/dev/compose-demo.js`: the compose set's demo traffic, as `npm start` makes it —
 * the state portal simulator files applications on Kafka (and, for the pilots, through e-delivery)
 * and prints the statuses the gateway sends back.
 */
async function main(): Promise<void> {
  const config = loadConfig(composeDemoConfigSchema, process.env);
  const print = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)}  ${line}\n`);
  const stop = await runDemoTraffic(kafkaConnection(config), config.DEMO_PER_MINUTE, print, undefined, {
    url: config.E_DELIVERY_URL,
    districts: districts.filter((district) => district.pilot).map((district) => district.code),
  });
  const end = () => void stop().then(() => process.exit(0));
  process.once('SIGTERM', end);
  process.once('SIGINT', end);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
