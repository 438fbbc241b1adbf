/** Stable codes of the gateway's authentication and authorisation; clients switch on these. */
export enum AuthenticationErrorCode {
  Unauthenticated = 'unauthenticated',
  InvalidCredentials = 'invalid_credentials',
  ClientCertificateRequired = 'client_certificate_required',
  ClientCertificateExpired = 'client_certificate_expired',
  ClientCertificateNotYetValid = 'client_certificate_not_yet_valid',
  ClientCertificateUntrusted = 'client_certificate_untrusted',
  ClientCertificateRevoked = 'client_certificate_revoked',
  ClientCertificateUnmapped = 'client_certificate_unmapped',
  RevocationCheckUnavailable = 'revocation_check_unavailable',
  InvalidToken = 'invalid_token',
  InsufficientScope = 'insufficient_scope',
  InvalidClient = 'invalid_client',
  UnsupportedGrantType = 'unsupported_grant_type',
  InvalidScope = 'invalid_scope',
  OperatorSessionRequired = 'operator_session_required',
  OperatorRoleRequired = 'operator_role_required',
  OperatorSignInUnavailable = 'operator_sign_in_unavailable',
  TooManySignInAttempts = 'too_many_sign_in_attempts',
  TooManyClientAuthentications = 'too_many_client_authentications',
  AuthenticationBusy = 'authentication_busy',
}

export class AuthenticationError extends Error {
  constructor(
    readonly code: AuthenticationErrorCode,
    message: string,
    /** For 403 insufficient_scope: the scope that was missing. */
    readonly requiredScope?: string,
    /** For 429 too_many_sign_in_attempts, too_many_client_authentications, authentication_busy: when to try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AuthenticationError';
  }
}
