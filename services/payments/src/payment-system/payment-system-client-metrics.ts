import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { PlatformMetrics } from '@umg/platform';
import { PaymentSystemClients } from './payment-system-clients';

/**
 * `umg_payment_system_unauthorized_clients`: clients whose credentials the payment system refused
 * (HTTP 401), read from the database on each scrape; the alert PaymentSystemRefusesCredentials.
 */
@Injectable()
export class PaymentSystemClientMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: PlatformMetrics,
    private readonly clients: PaymentSystemClients,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    const gauge = new Gauge({
      name: 'umg_payment_system_unauthorized_clients',
      help: 'Payment-system clients whose credentials the payment system refused (HTTP 401); their calls are on hold.',
      registers: [this.metrics.registry],
    });
    this.metrics.onScrape(async () => gauge.set((await this.clients.held(this.dataSource.manager)).length));
  }
}
