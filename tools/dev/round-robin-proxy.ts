import { createServer, type Server, type Socket, connect } from 'node:net';

export interface RoundRobinProxy {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * One address in front of several instances of a service, as a load balancer or a Kubernetes
 * Service gives them: each TCP connection goes to the next backend in turn, and to the one after
 * it when that one refuses (a killed instance). Connections are forwarded whole, so HTTP
 * keep-alive, uploads and server-sent events pass unchanged.
 */
export async function startRoundRobinProxy(backends: string[], port = 0): Promise<RoundRobinProxy> {
  const targets = backends.map((backend) => {
    const url = new URL(backend);
    return { host: url.hostname, port: Number(url.port) };
  });
  let next = 0;
  const open = new Set<Socket>();

  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.pause();
    const first = next;
    next = (next + 1) % targets.length;

    const tryBackend = (tried: number): void => {
      const target = targets[(first + tried) % targets.length]!;
      const upstream = connect(target.port, target.host);
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        open.add(upstream);
        upstream.on('close', () => open.delete(upstream));
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.once('error', (error) => {
        if (connected) return;
        // Refused before anything was sent: this backend is down, the next one may be up.
        if (tried + 1 < targets.length) tryBackend(tried + 1);
        else client.destroy(error);
      });
    };
    tryBackend(0);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${boundPort}`,
    port: boundPort,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
