import { errors, jwtVerify, type JWTPayload } from 'jose';
import { ProblemException } from '@umg/problem';
import type { ServiceIdentity } from './service-identity-keys';
import {
  type ActorClaim,
  isServiceName,
  maxServiceTokenSeconds,
  operatorRoles,
  type OperatorClaim,
  principalIssuers,
  type ServiceCaller,
  serviceTokenAlgorithm,
} from './service-token';

/** Clock skew between pods that is still tolerated. */
const clockToleranceSeconds = 5;

export const serviceTokenMissing = () =>
  new ProblemException(
    401,
    'service_token_missing',
    'A service token is required',
    'internal APIs answer only calls signed by a known service (Authorization: Bearer)',
    undefined,
    { 'WWW-Authenticate': 'Bearer' },
  );

export const serviceTokenInvalid = (detail: string) =>
  new ProblemException(401, 'service_token_invalid', 'The service token is not valid', detail, undefined, {
    'WWW-Authenticate': 'Bearer error="invalid_token"',
  });

export const callerNotAllowed = (detail: string) =>
  new ProblemException(403, 'caller_not_allowed', 'This caller may not call this route', detail);

/**
 * Checks a service token addressed to this service: signed (ES256) by a key of an accepted
 * caller — the key names the caller, `iss` and `sub` must agree — not expired, living at most
 * 60 s. Who acts (`operator`, `actor`) is believed only from the gateway.
 */
export class ServiceTokenVerifier {
  constructor(
    private readonly identity: Pick<ServiceIdentity, 'service' | 'trustedKeys'>,
    private readonly now: () => number = Date.now,
  ) {}

  async verify(token: string): Promise<ServiceCaller> {
    let signer: ServiceCaller['service'] | undefined;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        (header) => {
          const trusted = header.kid ? this.identity.trustedKeys.get(header.kid) : undefined;
          if (!trusted) throw serviceTokenInvalid('signed by a key this service does not know');
          signer = trusted.service;
          return trusted.key;
        },
        {
          algorithms: [serviceTokenAlgorithm],
          audience: this.identity.service,
          requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
          clockTolerance: clockToleranceSeconds,
          currentDate: new Date(this.now()),
        },
      ));
    } catch (error) {
      if (error instanceof ProblemException) throw error;
      throw serviceTokenInvalid(reasonOf(error));
    }
    if (payload.iss !== signer || payload.sub !== signer || !isServiceName(signer)) {
      throw serviceTokenInvalid('iss and sub must name the service whose key signed the token');
    }
    if (payload.exp! - payload.iat! > maxServiceTokenSeconds) {
      throw serviceTokenInvalid(`a service token lives at most ${maxServiceTokenSeconds} s`);
    }
    const operator = payload.operator === undefined ? undefined : operatorClaim(payload.operator);
    const actor = payload.actor === undefined ? undefined : actorClaim(payload.actor);
    if ((operator || actor) && !principalIssuers.includes(signer)) {
      throw callerNotAllowed(`${signer} may not act for an operator or a district`);
    }
    if (operator && actor) throw serviceTokenInvalid('a token acts for an operator or a district, not both');
    return { service: signer, ...(operator ? { operator } : {}), ...(actor ? { actor } : {}) };
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim ${error.claim}: ${error.reason}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the signature does not verify';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'only ES256 tokens are accepted';
  return 'the token is malformed';
}

// Names as the gateway knows them (usernames, certificate names): bounded, no control characters.
const identifier = /^\P{Cc}{1,128}$/u;

function operatorClaim(value: unknown): OperatorClaim {
  const claim = value as Partial<OperatorClaim> | null;
  if (
    typeof claim !== 'object' ||
    claim === null ||
    typeof claim.id !== 'string' ||
    !identifier.test(claim.id) ||
    !(operatorRoles as readonly unknown[]).includes(claim.role)
  ) {
    throw serviceTokenInvalid('the operator claim must be {id, role}');
  }
  return { id: claim.id, role: claim.role! };
}

function actorClaim(value: unknown): ActorClaim {
  const claim = value as Partial<ActorClaim> | null;
  if (
    typeof claim !== 'object' ||
    claim === null ||
    typeof claim.districtCode !== 'string' ||
    !/^[a-z][a-z0-9-]{1,63}$/.test(claim.districtCode) ||
    typeof claim.clientId !== 'string' ||
    !identifier.test(claim.clientId)
  ) {
    throw serviceTokenInvalid('the actor claim must be {districtCode, clientId}');
  }
  return { districtCode: claim.districtCode, clientId: claim.clientId };
}
