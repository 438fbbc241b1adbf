import { Inject } from '@nestjs/common';
import { SERVICE_LOGGER } from '@umg/platform';

/** Injects the service's pino logger. */
export const InjectLogger = (): ParameterDecorator => Inject(SERVICE_LOGGER);
