import { createOtlpCollector } from './otlp-collector';

const port = Number(process.env.OTLP_COLLECTOR_PORT ?? 4318);
const server = createOtlpCollector().listen(port, '127.0.0.1', () =>
  process.stdout.write(`otlp collector listening on http://127.0.0.1:${port}\n`),
);
process.once('SIGTERM', () => server.close(() => process.exit(0)));
