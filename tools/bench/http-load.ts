import autocannon from 'autocannon';
import type { HttpLoadFigures, HttpLoadRequest } from './baselines';

/**
 * The bench's HTTP load client, in a process of its own (forked by `httpLoad`): autocannon, which
 * keeps many keep-alive connections busy from one event loop at a cost far below a server's, so the
 * figure is the server's, not the client's (a fetch loop tops out near 500–800 req/s here).
 */
process.once('message', (request: HttpLoadRequest) => {
  autocannon({
    url: request.url,
    headers: request.headers,
    connections: request.connections,
    duration: request.seconds,
  }).then(
    (result) => {
      const figures: HttpLoadFigures = {
        perSecond: result['2xx'] / Math.max(0.001, result.duration),
        requests: result.requests.total,
        latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
        errors: result.errors + result.non2xx,
      };
      process.send!(figures, () => process.exit(0));
    },
    (error: unknown) => {
      console.error('http load failed', error);
      process.exit(1);
    },
  );
});
process.on('disconnect', () => process.exit(0));
