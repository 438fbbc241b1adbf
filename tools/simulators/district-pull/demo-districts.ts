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

/** The pull districts' back offices following their changes feeds through the district API, for the demo. */
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
  // Each back office follows its changes feed (a long-poll answered within a second of a change).
  let running = true;
  for (const [code, client] of clients) {
    void (async () => {
      while (running) {
        try {
          for (const line of await client.followChanges(20)) print(`${code} back office: ${line}`);
        } catch (error) {
          print(`${code} back office: ${error instanceof Error ? error.message : String(error)}`);
          await new Promise((resolve) => setTimeout(resolve, 5_000));
        }
      }
    })();
  }
  return () => {
    running = false;
  };
}
