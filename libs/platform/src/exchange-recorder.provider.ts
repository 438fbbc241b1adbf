import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ExchangeLog, ExchangeRecorder } from '@umg/exchange-log';
import type { Logger } from '@umg/logging';
import { SERVICE_LOGGER } from './tokens';

/** The service's exchange recorder, appending to `<schema>.exchange_log`. */
export function exchangeRecorderProvider(schema: string, key: string): Provider {
  return {
    provide: ExchangeRecorder,
    useFactory: (dataSource: DataSource, logger: Logger) =>
      new ExchangeRecorder(dataSource, new ExchangeLog(schema, key), logger),
    inject: [DataSource, SERVICE_LOGGER],
  };
}
