import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ExchangeLog, ExchangeLogSigner, ExchangeRecorder } from '@umg/exchange-log';
import type { Logger } from '@umg/logging';
import { ExchangeLogWitness } from './exchange-log-witness';
import { PlatformMetrics } from './platform-metrics';
import { ServiceMessaging } from './service-messaging';
import { SERVICE_LOGGER } from './tokens';

export interface ExchangeLogSettings {
  /** This service's own Ed25519 private key (PEM file). */
  signingKeyFile: string;
  headIntervalMs: number;
  witnessFile?: string;
}

/** The settings of a service's exchange log, from its validated config. */
export function exchangeLogSettings(
  config: { EXCHANGE_LOG_HEAD_INTERVAL_MS: number; EXCHANGE_LOG_WITNESS_FILE?: string },
  signingKeyFile: string,
): ExchangeLogSettings {
  return {
    signingKeyFile,
    headIntervalMs: config.EXCHANGE_LOG_HEAD_INTERVAL_MS,
    witnessFile: config.EXCHANGE_LOG_WITNESS_FILE,
  };
}

/**
 * The service's exchange log (`<schema>.exchange_log`, signed with its own key), its recorder
 * (failures counted in `umg_exchange_log_append_failures_total`) and the witness of its head.
 * The key is read at boot: a service without its key does not start.
 */
export function exchangeLogProviders(service: string, schema: string, settings: ExchangeLogSettings): Provider[] {
  let signer: ExchangeLogSigner;
  try {
    signer = ExchangeLogSigner.fromPemFile(settings.signingKeyFile);
  } catch (error) {
    throw new Error(
      `exchange-log signing key ${settings.signingKeyFile} is unusable (${error instanceof Error ? error.message : String(error)}); make it with "npm run pki -- init"`,
    );
  }
  const log = new ExchangeLog(schema, signer);
  return [
    { provide: ExchangeLogSigner, useValue: signer },
    {
      provide: ExchangeLog,
      // Appends in a transaction of this data source are written at its commit, all together.
      useFactory: (dataSource: DataSource) => {
        log.attach(dataSource);
        return log;
      },
      inject: [DataSource],
    },
    {
      provide: ExchangeRecorder,
      useFactory: (dataSource: DataSource, logger: Logger, metrics: PlatformMetrics) =>
        new ExchangeRecorder(dataSource, log, logger, () => metrics.exchangeLogAppendFailed()),
      inject: [DataSource, SERVICE_LOGGER, PlatformMetrics],
    },
    {
      provide: ExchangeLogWitness,
      useFactory: (dataSource: DataSource, messaging: ServiceMessaging, logger: Logger) =>
        new ExchangeLogWitness(
          { service, intervalMs: settings.headIntervalMs, witnessFile: settings.witnessFile },
          log,
          signer,
          dataSource,
          messaging.kafka,
          logger.child({ component: 'exchange-log-witness' }),
        ),
      inject: [DataSource, ServiceMessaging, SERVICE_LOGGER],
    },
  ];
}
