import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from '@umg/logging';
import type { Readiness } from './health-check';
import type { PlatformMetrics } from './platform-metrics';
import { limitSlowClients } from './slow-clients';

export interface ManagementEndpoint {
  host: string;
  port: number;
}

/**
 * Every service's management port: `/metrics` for Prometheus and `/health/ready` with each
 * dependency's check and error. Neither is for the service's callers, and neither answers on the
 * service's own ports: only the monitoring namespace reaches this port (deploy/k8s NetworkPolicy),
 * and in development it stays on loopback.
 */
export class ManagementServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | undefined;

  constructor(
    private readonly endpoint: ManagementEndpoint,
    private readonly metrics: PlatformMetrics,
    private readonly readiness: Readiness,
    private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((request, response) => {
      this.answer(request, response).catch((error: unknown) => {
        this.logger.warn({ err: error, path: request.url }, 'management request failed');
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
    });
    limitSlowClients(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.endpoint.port, this.endpoint.host, () => resolve());
    });
    this.server = server;
    this.logger.info({ url: `http://${this.endpoint.host}:${this.endpoint.port}` }, 'management port listening');
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = request.url?.split('?')[0];
    const headers = { 'cache-control': 'no-store' };
    if (request.method === 'GET' && path === '/metrics') {
      const text = await this.metrics.scrape();
      response.writeHead(200, { ...headers, 'content-type': this.metrics.contentType }).end(text);
      return;
    }
    if (request.method === 'GET' && path === '/health/ready') {
      const report = await this.readiness.report();
      response
        .writeHead(report.status === 'up' ? 200 : 503, { ...headers, 'content-type': 'application/json' })
        .end(JSON.stringify(report));
      return;
    }
    response.writeHead(404).end();
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
