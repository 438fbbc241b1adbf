import { DistrictPullClient } from './district-pull-client';

const prefixes: Record<string, string> = { serdika: 'СРД', triaditsa: 'ТРД', nadezhda: 'НДЖ', bankya: 'БНК' };

/** The four pilot districts' back offices polling the district API, for the demo. */
export function runDemoDistricts(
  gatewayUrl: string,
  apiKeyOf: (districtCode: string) => string,
  print: (line: string) => void,
): () => void {
  const clients = Object.entries(prefixes).map(
    ([code, prefix]) =>
      [
        code,
        new DistrictPullClient({
          gatewayUrl,
          apiKey: apiKeyOf(code),
          registrationPrefix: prefix,
          processToResult: true,
        }),
      ] as const,
  );
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void Promise.all(
      clients.map(async ([code, client]) => {
        try {
          for (const line of await client.poll()) print(`${code} back office: ${line}`);
        } catch (error) {
          print(`${code} back office: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    ).finally(() => {
      running = false;
    });
  }, 5_000);
  return () => clearInterval(timer);
}
