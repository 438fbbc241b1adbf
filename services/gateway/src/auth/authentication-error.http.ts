import { ProblemException } from '@umg/problem';
import { AuthenticationError, AuthenticationErrorCode } from './authentication-error';

const districtChallenge = 'Bearer realm="umg-district-api"';

/** The one place that says how each authentication error reads over HTTP (RFC 9457 + RFC 6750). */
export function authenticationErrorToProblem(error: unknown): ProblemException | undefined {
  return error instanceof AuthenticationError ? toProblem(error) : undefined;
}

function toProblem(error: AuthenticationError): ProblemException {
  const problem = (status: number, title: string, headers?: Record<string, string>) =>
    new ProblemException(status, error.code, title, error.message, undefined, headers);
  const unauthorized = (title: string, challenge = districtChallenge) =>
    problem(401, title, { 'WWW-Authenticate': challenge });
  switch (error.code) {
    case AuthenticationErrorCode.Unauthenticated:
      return unauthorized('A district credential is required');
    case AuthenticationErrorCode.InvalidCredentials:
      return unauthorized('The credential is not valid');
    case AuthenticationErrorCode.ClientCertificateRequired:
      return unauthorized('A client certificate is required');
    case AuthenticationErrorCode.ClientCertificateExpired:
      return unauthorized('The client certificate has expired');
    case AuthenticationErrorCode.ClientCertificateNotYetValid:
      return unauthorized('The client certificate is not yet valid');
    case AuthenticationErrorCode.ClientCertificateUntrusted:
      return unauthorized('The client certificate is not trusted');
    case AuthenticationErrorCode.ClientCertificateRevoked:
      return unauthorized('The client certificate has been revoked');
    case AuthenticationErrorCode.ClientCertificateUnmapped:
      return unauthorized('The client certificate names no district');
    case AuthenticationErrorCode.RevocationCheckUnavailable:
      return problem(503, 'Certificate revocation cannot be checked; try again shortly', { 'Retry-After': '5' });
    case AuthenticationErrorCode.InvalidToken:
      return unauthorized('The access token is not valid', `${districtChallenge}, error="invalid_token"`);
    case AuthenticationErrorCode.InsufficientScope:
      return problem(403, 'The credential lacks the scope this operation needs', {
        'WWW-Authenticate': `${districtChallenge}, error="insufficient_scope", scope="${error.requiredScope ?? ''}"`,
      });
    case AuthenticationErrorCode.InvalidClient:
      return unauthorized('Client authentication failed', 'Basic realm="umg-oauth"');
    case AuthenticationErrorCode.UnsupportedGrantType:
      return problem(400, 'Only grant_type=client_credentials is supported');
    case AuthenticationErrorCode.InvalidScope:
      return problem(400, 'The requested scope is not granted to this client');
    case AuthenticationErrorCode.OperatorSessionRequired:
      return problem(401, 'An operator session is required');
    case AuthenticationErrorCode.OperatorRoleRequired:
      return problem(403, 'The operator role does not allow this');
    case AuthenticationErrorCode.OperatorSignInUnavailable:
      return problem(404, 'This sign-in method is not configured');
    case AuthenticationErrorCode.TooManySignInAttempts:
      return problem(429, 'Too many failed sign-ins; try again later', {
        'Retry-After': String(error.retryAfterSeconds ?? 60),
      });
    case AuthenticationErrorCode.TooManyClientAuthentications:
      return problem(429, 'Too many failed client authentications; try again later', {
        'Retry-After': String(error.retryAfterSeconds ?? 60),
      });
    case AuthenticationErrorCode.AuthenticationBusy:
      return problem(429, 'Too many credential checks at once; try again shortly', {
        'Retry-After': String(error.retryAfterSeconds ?? 1),
      });
  }
}
