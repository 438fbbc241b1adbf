import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { answerClientError } from './client-error';

/** What a raw request gets back from a server that answers parser refusals as problems. */
function rawExchange(server: Server, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const { port } = server.address() as { port: number };
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('requests the HTTP parser refuses', () => {
  const server = createServer((_request, response) => response.end('ok'));
  beforeAll(async () => {
    server.on('clientError', answerClientError);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers headers over the limit with 431 problem+json (found by the bad-input run: a bare status line)', async () => {
    const answer = await rawExchange(server, `GET /?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toContain('Content-Type: application/problem+json');
    expect(JSON.parse(answer.split('\r\n\r\n')[1]!)).toMatchObject({ status: 431, code: 'headers_too_large' });
  });

  it('answers a request line that is not HTTP with 400 bad_request', async () => {
    const answer = await rawExchange(server, 'NOT HTTP AT ALL\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(answer.split('\r\n\r\n')[1]!)).toMatchObject({ status: 400, code: 'bad_request' });
  });
});
