import { createServer, type Server } from 'node:http';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from '@umg/logging';
import type { PlatformMetrics } from './platform-metrics';

export interface ManagementEndpoint {
  host: string;
  port: number;
}

/**
 * `/metrics` on a port of its own, for a service whose HTTP port is public (the gateway): the
 * figures are for Prometheus inside the cluster, not for the internet, and the port is reached
 * only where the network allows it.
 */
export class ManagementServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | undefined;

  constructor(
    private readonly endpoint: ManagementEndpoint,
    private readonly metrics: PlatformMetrics,
    private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      this.metrics.scrape().then(
        (text) =>
          response.writeHead(200, { 'content-type': this.metrics.contentType, 'cache-control': 'no-store' }).end(text),
        (error: unknown) => {
          this.logger.warn({ err: error }, 'metrics scrape failed');
          response.writeHead(500).end();
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.endpoint.port, this.endpoint.host, () => resolve());
    });
    this.server = server;
    this.logger.info(
      { url: `http://${this.endpoint.host}:${this.endpoint.port}/metrics` },
      'management port listening',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
