import { DistrictPullClient } from './district-pull-client';

// The four pilots, and Lozenets, the pull district the demo onboards (its client passes the conformance sandbox).
const prefixes: Record<string, string> = {
  serdika: 'СРД',
  triaditsa: 'ТРД',
  nadezhda: 'НДЖ',
  bankya: 'БНК',
  lozenets: 'ЛЗН',
};

const pushClerks = ['sredets', 'oborishte'];

/** The pull districts' back offices polling the district API, for the demo. */
export function runDemoDistricts(
  gatewayUrl: string,
  apiKeyOf: (districtCode: string) => string,
  print: (line: string) => void,
): () => void {
  const clients = [
    ...Object.entries(prefixes).map(([code, prefix]) => [code, { registrationPrefix: prefix }] as const),
    // The push districts' clerks: their back offices register what the gateway pushes; the clerks
    // process and answer through the API.
    ...pushClerks.map((code) => [code, { registrationPrefix: '', registerRouted: false }] as const),
  ].map(
    ([code, options]) =>
      [
        code,
        new DistrictPullClient({ gatewayUrl, apiKey: apiKeyOf(code), processToResult: true, ...options }),
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
