import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { pkiFiles } from '../../tools/pki/certificate-authority';
import type { ApiAnswer } from './district-api';
import { testEnv } from './test-env';

export const pkiDir = process.env.TEST_PKI_DIR ?? '';
export const tlsUrl = process.env.TEST_GATEWAY_TLS_URL ?? '';
export const oauthIssuer = process.env.TEST_OAUTH_ISSUER ?? '';
export const pki = pkiFiles(pkiDir);

/** A call over the gateway's HTTPS listener, with a client certificate or none (a GET unless `init` says otherwise). */
export function overMutualTls<T = unknown>(
  path: string,
  certificate?: { certFile: string; keyFile: string },
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<ApiAnswer<T> & { contentType: string }> {
  return new Promise((resolve, reject) => {
    const call = request(
      `${tlsUrl}${path}`,
      {
        ca: readFileSync(pki.caCert),
        ...(certificate ? { cert: readFileSync(certificate.certFile), key: readFileSync(certificate.keyFile) } : {}),
        agent: false, // a fresh handshake every time, never a reused session with another certificate
        method: init.method ?? 'GET',
        headers: init.headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolve({
            status: response.statusCode ?? 0,
            headers: new Headers(response.headers as Record<string, string>),
            contentType: String(response.headers['content-type'] ?? ''),
            body: body as T,
          });
        });
      },
    );
    call.on('error', reject);
    call.end(init.body);
  });
}

/** Runs the PKI command as an administrator would (`npm run pki -- …`), against the test database. */
export function pkiCommand(args: string[], env: Record<string, string> = {}): { status: number; output: string } {
  const result = spawnSync(
    process.execPath,
    [join(__dirname, '../../dist/tools/pki/main.js'), ...args, '--dir', pkiDir],
    {
      env: { ...process.env, DATABASE_URL: testEnv.databaseUrl, ...env },
      encoding: 'utf8',
    },
  );
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}
