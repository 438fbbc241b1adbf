import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DistrictsConfig } from '../config';
import { AnsweredDocuments } from './answered-documents';
import { PushFailure, type PushedResult } from './back-office-answer';
import { BackOfficeEndpointPolicy } from './back-office-endpoint-policy';

const pdf = Buffer.from('%PDF-1.4\n% result\n%%EOF\n');
const sha256 = createHash('sha256').update(pdf).digest('hex');
const config = { PUSH_TIMEOUT_MS: 2000 } as DistrictsConfig;
const local = new AnsweredDocuments(
  new BackOfficeEndpointPolicy({ privateHosts: ['127.0.0.1'], httpHosts: ['127.0.0.1'] }),
  config,
);
const strict = new AnsweredDocuments(new BackOfficeEndpointPolicy({ privateHosts: [], httpHosts: [] }), config);

function result(document: PushedResult['document'], overrides: Partial<PushedResult> = {}): PushedResult {
  return { kind: 'result', fileName: 'u.pdf', mediaType: 'application/pdf', sha256, document, ...overrides };
}

async function failureOf(promise: Promise<unknown>): Promise<PushFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PushFailure) return error;
    throw error;
  }
  throw new Error('did not fail');
}

describe('result documents a back office answers with', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/u.pdf') {
        response.writeHead(200, { 'Content-Type': 'application/pdf' });
        response.end(pdf);
      } else if (request.url === '/moved') {
        response.writeHead(302, { Location: '/u.pdf' });
        response.end();
      } else {
        response.writeHead(503);
        response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('takes an inline document whose SHA-256 matches', async () => {
    const document = await local.obtain(result({ content: pdf }));
    expect(document).toMatchObject({ kind: 'result', mediaType: 'application/pdf', sha256 });
    expect(document.content.equals(pdf)).toBe(true);
  });

  it('fetches a referenced document under the endpoint policy', async () => {
    expect((await local.obtain(result({ reference: `${base}/u.pdf` }))).sha256).toBe(sha256);
  });

  it('parks what cannot be a result: a wrong SHA-256, a type not allowed, an empty document', async () => {
    const wrong = await failureOf(local.obtain(result({ content: pdf }, { sha256: '0'.repeat(64) })));
    expect(wrong).toMatchObject({ permanent: true, message: expect.stringMatching(/SHA-256/) });
    const html = await failureOf(local.obtain(result({ content: pdf }, { mediaType: 'text/html' })));
    expect(html).toMatchObject({ permanent: true, message: expect.stringMatching(/text\/html/) });
    expect(await failureOf(local.obtain(result({ content: Buffer.alloc(0) }, { sha256: undefined })))).toMatchObject({
      permanent: true,
    });
  });

  it('refuses a reference inwards, does not follow a redirect, and retries a server that is down', async () => {
    expect(await failureOf(strict.obtain(result({ reference: `${base}/u.pdf` })))).toMatchObject({ permanent: true });
    expect(await failureOf(local.obtain(result({ reference: `${base}/moved` })))).toMatchObject({
      permanent: true,
      httpStatus: 302,
    });
    expect(await failureOf(local.obtain(result({ reference: `${base}/down` })))).toMatchObject({
      permanent: false,
      httpStatus: 503,
    });
  });
});
