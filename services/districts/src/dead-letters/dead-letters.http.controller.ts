import { Controller } from '@nestjs/common';
import { CallableBy, deadLetterRoutes } from '@umg/platform';

/** listDeadLetters, getDeadLetter, replayDeadLetters, discardDeadLetters: the operator console's, through the gateway. */
@Controller('internal/v1')
@CallableBy('gateway')
export class DeadLettersHttpController extends deadLetterRoutes('districts-internal') {}
