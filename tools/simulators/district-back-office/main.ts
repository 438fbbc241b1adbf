import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateThumbprint } from '@umg/e-delivery';
import { JsonBackOffice } from './json-back-office';
import { NestedJsonBackOffice } from './nested-json-back-office';
import { SoapBackOffice } from './soap-back-office';
import { Soap12BackOffice } from './soap12-back-office';

/**
 * Runs the simulated push back offices as their own process: Sredets (JSON) on
 * BACK_OFFICE_JSON_PORT, Oborishte (SOAP 1.1) on BACK_OFFICE_SOAP_PORT, with the secrets the
 * gateway's districts service signs with, and the SOAP 1.2 office with WS-Security and MTOM on
 * BACK_OFFICE_SOAP12_PORT (its district, Izgrev, is onboarded through the operator API: its
 * secret comes by `PUT /_secrets/izgrev`; the signing certificates it has on file are those in
 * BACK_OFFICE_SOAP12_CERTIFICATES_DIR).
 * The nested JSON office listens on BACK_OFFICE_NESTED_JSON_PORT (no district is configured
 * for it either: an operator onboards one by a mapping).
 */
async function main(): Promise<void> {
  const secret = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const json = new JsonBackOffice({ sredets: secret('DISTRICT_SECRET_SREDETS') }, { sredets: 'СР' });
  const soap = new SoapBackOffice({ oborishte: secret('DISTRICT_SECRET_OBORISHTE') }, { oborishte: 'ОБ-94-00' });
  const certificatesDir = process.env.BACK_OFFICE_SOAP12_CERTIFICATES_DIR;
  const soap12 = new Soap12BackOffice(
    {},
    {
      prefixes: { izgrev: 'ИЗ-08' },
      // Read at each request: a certificate put on file later counts at once.
      acceptsCertificate: (thumbprint) =>
        !!certificatesDir &&
        existsSync(certificatesDir) &&
        readdirSync(certificatesDir)
          .filter((name) => name.endsWith('.crt.pem'))
          .some((name) => certificateThumbprint(readFileSync(join(certificatesDir, name))) === thumbprint),
    },
  );
  const jsonUrl = await json.start(Number(process.env.BACK_OFFICE_JSON_PORT ?? 0));
  const soapUrl = await soap.start(Number(process.env.BACK_OFFICE_SOAP_PORT ?? 0));
  const soap12Url = await soap12.start(Number(process.env.BACK_OFFICE_SOAP12_PORT ?? 0));
  // No district is configured for it: an operator onboards one (its secret comes by PUT /_secrets/<district>).
  const nested = new NestedJsonBackOffice();
  const nestedJsonUrl = await nested.start(Number(process.env.BACK_OFFICE_NESTED_JSON_PORT ?? 0));
  process.stdout.write(
    `${JSON.stringify({ msg: 'back offices started', jsonUrl, soapUrl, soap12Url, nestedJsonUrl })}\n`,
  );
  const stop = () =>
    void Promise.all([json.stop(), soap.stop(), soap12.stop(), nested.stop()]).then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
