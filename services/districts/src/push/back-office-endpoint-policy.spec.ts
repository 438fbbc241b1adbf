import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BackOfficeEndpointPolicy, EndpointRefused, isNonPublicAddress } from './back-office-endpoint-policy';
import { AnswerTooLarge, guardedPost } from './guarded-post';

const strict = new BackOfficeEndpointPolicy({ privateHosts: [], httpHosts: [] });

describe('back-office endpoint policy (security review F7)', () => {
  it('allows https to a public host only', () => {
    expect(strict.problemOf('https://bo.sredets.example/umg')).toBeUndefined();
    expect(strict.problemOf('http://bo.sredets.example/umg')).toMatch(/plain http/);
    expect(strict.problemOf('ftp://bo.sredets.example/umg')).toMatch(/scheme/);
    expect(strict.problemOf('https://user:pw@bo.sredets.example/')).toMatch(/credentials/);
  });

  it.each([
    'https://127.0.0.1/x',
    'https://10.1.2.3/x',
    'https://169.254.169.254/latest/meta-data/',
    'https://[::1]/x',
    'https://[fe80::1]/x',
    'https://[::ffff:127.0.0.1]/x',
    'https://0.0.0.0/x',
    'https://localhost/x',
  ])('refuses %s, an address that is not public', (endpoint) => {
    expect(strict.problemOf(endpoint)).toMatch(/not a public/);
  });

  it('classifies addresses', () => {
    for (const address of ['127.0.0.1', '192.168.1.1', '172.31.0.1', '100.64.0.1', 'fd00::1', '::']) {
      expect(isNonPublicAddress(address)).toBe(true);
    }
    for (const address of ['8.8.8.8', '194.141.1.1', '2001:4860:4860::8888', '172.32.0.1']) {
      expect(isNonPublicAddress(address)).toBe(false);
    }
  });

  it('lets an explicit allow-list reach loopback over http (the test and dev back-office simulators)', () => {
    const local = new BackOfficeEndpointPolicy({ privateHosts: ['127.0.0.1'], httpHosts: ['127.0.0.1'] });
    expect(local.problemOf('http://127.0.0.1:4201/json/sredets/applications')).toBeUndefined();
    expect(local.problemOf('http://10.0.0.1/x')).toMatch(/plain http/);
  });
});

describe('guarded POST to a back office', () => {
  let server: Server;
  let port: number;
  let redirectTargetHits = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/redirect') {
        response.writeHead(302, { Location: `http://127.0.0.1:${port}/target` }).end();
      } else if (request.url === '/target') {
        redirectTargetHits++;
        response.end('{}');
      } else if (request.url === '/huge') {
        response.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024, 'a');
        for (let i = 0; i < 64; i++) response.write(chunk);
        response.end();
      } else {
        response.end('{"ok":true}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const allowLoopback = new BackOfficeEndpointPolicy({ privateHosts: ['127.0.0.1'], httpHosts: ['127.0.0.1'] });
  const post = (url: string, policy = allowLoopback, maxAnswerBytes = 1024 * 1024) =>
    guardedPost(
      new URL(url),
      '{}',
      { 'Content-Type': 'application/json' },
      { policy, timeoutMs: 2000, maxAnswerBytes },
    );

  it('refuses at connect time a name that resolves to loopback, though the URL looked acceptable', async () => {
    // `localhost` passes as a host on the http list; only the resolved address gives it away.
    const namesOnly = new BackOfficeEndpointPolicy({ privateHosts: [], httpHosts: ['localhost'] });
    await expect(post(`http://localhost:${port}/ok`, namesOnly)).rejects.toBeInstanceOf(EndpointRefused);
  });

  it('answers a redirect as the 3xx it is and never follows it', async () => {
    const answer = await post(`http://127.0.0.1:${port}/redirect`);
    expect(answer.status).toBe(302);
    expect(redirectTargetHits).toBe(0);
  });

  it('cuts off an answer larger than the cap', async () => {
    await expect(post(`http://127.0.0.1:${port}/huge`, allowLoopback, 256 * 1024)).rejects.toBeInstanceOf(
      AnswerTooLarge,
    );
  });

  it('reads an ordinary answer', async () => {
    await expect(post(`http://127.0.0.1:${port}/ok`)).resolves.toMatchObject({ status: 200, text: '{"ok":true}' });
  });
});
