import 'reflect-metadata';
import { createLogger } from '@umg/logging';
import { callbackAudience, configOrExit, serviceIdentityOrExit, startEventHandlers, startService } from '@umg/platform';
import { loadDistrictsConfig } from './config';
import { DistrictsModule } from './districts.module';
import { districtErrorToProblem } from './district/district-error.http';
import { readProfilesFile } from './seed-registry/profiles-file';

async function main(): Promise<void> {
  const config = configOrExit('districts', () => loadDistrictsConfig());
  const logger = createLogger('districts', config.LOG_LEVEL);
  const identity = await serviceIdentityOrExit('districts', config.SERVICE_IDENTITY_DIR, [
    'gateway',
    'delivery',
    // Takes the result documents back offices answered pushes with (claim check).
    'applications',
  ]);
  let profiles = {};
  try {
    profiles = config.DISTRICT_PROFILES_FILE ? readProfilesFile(config.DISTRICT_PROFILES_FILE) : {};
  } catch (error) {
    logger.fatal({ err: error }, 'district profiles file is not usable');
    process.exit(78); // EX_CONFIG
  }
  const app = await startService(DistrictsModule.register(config, identity, profiles, logger), logger, {
    host: config.HOST,
    port: config.DISTRICTS_PORT,
    // The callbacks of back offices, on a port of their own: the one port published for them.
    listeners: [{ audience: callbackAudience, port: config.DISTRICTS_CALLBACK_PORT }],
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    rawBody: true,
    // A back office's answer may carry a result document of up to 10 MiB, base64 in JSON.
    jsonLimit: '15mb',
    problemTranslators: [districtErrorToProblem],
  });
  // Its Kafka handlers (the controllers' @EventPattern methods) on its consumers.
  await startEventHandlers(app);
}

void main();
