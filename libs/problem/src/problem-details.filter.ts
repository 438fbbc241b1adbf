import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { currentCorrelation, type Logger } from '@umg/logging';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails, problemTypeFor } from './problem-details';
import { ProblemException } from './problem.exception';

/** Well-known codes for errors raised by the framework rather than by our code. */
function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 429:
      return 'too_many_requests';
    default:
      return status >= 500 ? 'internal_error' : 'request_rejected';
  }
}

/** Turns a service's own error type into a problem; returns undefined for other errors. */
export type ProblemTranslator = (error: unknown) => ProblemException | undefined;

/** Every error leaves as RFC 9457 problem+json; unexpected ones are logged, never echoed. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly translators: ProblemTranslator[] = [],
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    for (const translate of this.translators) exception = translate(exception) ?? exception;
    const problem = this.toProblem(exception);
    problem.instance = request.originalUrl;
    problem.correlationId = currentCorrelation()?.correlationId;
    if (exception instanceof ProblemException && exception.headers) {
      for (const [name, value] of Object.entries(exception.headers)) response.setHeader(name, value);
    }
    if (response.headersSent) return;
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof ProblemException) {
      return {
        type: problemTypeFor(exception.code),
        title: exception.title,
        status: exception.status,
        code: exception.code,
        // Details may quote the request; a problem never echoes more than a line of it back.
        detail: exception.detail?.slice(0, 500),
        errors: exception.errors,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = codeForStatus(status);
      return {
        type: problemTypeFor(code),
        title: exception.message,
        status,
        code,
      };
    }
    // Body parser errors (malformed JSON, too large) carry a status but are not HttpExceptions.
    const parserStatus = (exception as { status?: unknown; type?: unknown })?.status;
    if (typeof parserStatus === 'number' && parserStatus >= 400 && parserStatus < 500) {
      const code =
        (exception as { type?: string }).type === 'entity.parse.failed'
          ? 'malformed_json'
          : codeForStatus(parserStatus);
      return {
        type: problemTypeFor(code),
        title: code === 'malformed_json' ? 'The request body is not valid JSON' : 'Bad request',
        status: parserStatus,
        code,
      };
    }
    this.logger.error({ err: exception }, 'unhandled error');
    return {
      type: problemTypeFor('internal_error'),
      title: 'Internal error',
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      code: 'internal_error',
    };
  }
}
