import type { OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import { runMigrations } from '@umg/persistence';

/** Applies the service's pending migrations at start-up, before any consumer starts. */
export class DatabaseMigrator implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
    private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const applied = await runMigrations(this.dataSource, this.schema);
    if (applied.length > 0) this.logger.info({ applied }, 'migrations applied');
  }
}
