import { JsonBackOffice } from './json-back-office';
import { NestedJsonBackOffice } from './nested-json-back-office';
import { SoapBackOffice } from './soap-back-office';

/**
 * Runs the simulated push back offices as their own process: Sredets (JSON) on
 * BACK_OFFICE_JSON_PORT and Oborishte (SOAP) on BACK_OFFICE_SOAP_PORT, with the secrets the
 * gateway's districts service signs with; the nested JSON office on BACK_OFFICE_NESTED_JSON_PORT.
 */
async function main(): Promise<void> {
  const secret = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const json = new JsonBackOffice({ sredets: secret('DISTRICT_SECRET_SREDETS') }, { sredets: 'СР' });
  const soap = new SoapBackOffice({ oborishte: secret('DISTRICT_SECRET_OBORISHTE') }, { oborishte: 'ОБ-94-00' });
  const jsonUrl = await json.start(Number(process.env.BACK_OFFICE_JSON_PORT ?? 0));
  const soapUrl = await soap.start(Number(process.env.BACK_OFFICE_SOAP_PORT ?? 0));
  // No district is configured for it: an operator onboards one (its secret comes by PUT /_secrets/<district>).
  const nested = new NestedJsonBackOffice();
  const nestedJsonUrl = await nested.start(Number(process.env.BACK_OFFICE_NESTED_JSON_PORT ?? 0));
  process.stdout.write(`${JSON.stringify({ msg: 'back offices started', jsonUrl, soapUrl, nestedJsonUrl })}\n`);
  const stop = () => void Promise.all([json.stop(), soap.stop(), nested.stop()]).then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
