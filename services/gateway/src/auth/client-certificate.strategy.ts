import type { TLSSocket } from 'node:tls';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { AuthenticationError, AuthenticationErrorCode } from './authentication-error';
import { ClientCertificateRevocations } from './client-certificate-revocations';
import { districtOfCertificate } from './district-of-certificate';
import type { DistrictPrincipal } from './district-principal';
import { districtScopes } from './district-scope';

export const CLIENT_CERTIFICATE_STRATEGY = 'district-client-certificate';

/** OpenSSL's verification results, as Node reports them in `socket.authorizationError`. */
const expired = new Set(['CERT_HAS_EXPIRED']);
const notYetValid = new Set(['CERT_NOT_YET_VALID']);

/**
 * Mutual TLS, X-Road/RegiX style. The HTTPS listener asks for a certificate but lets the
 * handshake finish without one (`rejectUnauthorized: false`), so the verdict arrives here and is
 * answered as problem+json with a stable code instead of a bare TLS abort. No certificate at all
 * passes the request on to the other strategies (a bearer token over HTTPS is fine).
 */
@Injectable()
export class ClientCertificateStrategy extends PassportStrategy(Strategy, CLIENT_CERTIFICATE_STRATEGY) {
  constructor(private readonly revocations: ClientCertificateRevocations) {
    super();
  }

  async validate(request: Request): Promise<DistrictPrincipal | null> {
    const socket = request.socket as Partial<TLSSocket>;
    if (!socket.encrypted || typeof socket.getPeerCertificate !== 'function') return null;
    const certificate = socket.getPeerCertificate();
    if (!certificate || Object.keys(certificate).length === 0) return null;

    if (!socket.authorized) {
      const reason = String(socket.authorizationError ?? 'unknown');
      if (expired.has(reason)) {
        throw new AuthenticationError(
          AuthenticationErrorCode.ClientCertificateExpired,
          `expired on ${certificate.valid_to}`,
        );
      }
      if (notYetValid.has(reason)) {
        throw new AuthenticationError(
          AuthenticationErrorCode.ClientCertificateNotYetValid,
          `valid from ${certificate.valid_from}`,
        );
      }
      throw new AuthenticationError(
        AuthenticationErrorCode.ClientCertificateUntrusted,
        `the certificate was not issued by the gateway's CA (${reason})`,
      );
    }
    const identity = districtOfCertificate(certificate);
    if (!identity) {
      throw new AuthenticationError(
        AuthenticationErrorCode.ClientCertificateUnmapped,
        'the certificate must carry exactly one SAN URI urn:umg:district:<code> of a known district',
      );
    }
    let revoked: boolean;
    try {
      revoked = await this.revocations.isRevoked(identity.serial);
    } catch {
      throw new AuthenticationError(
        AuthenticationErrorCode.RevocationCheckUnavailable,
        'the revocation list is unreadable',
      );
    }
    if (revoked) {
      throw new AuthenticationError(AuthenticationErrorCode.ClientCertificateRevoked, `serial ${identity.serial}`);
    }
    return {
      districtCode: identity.districtCode,
      clientId: `${identity.districtCode}:certificate:${identity.serial}`,
      credential: 'certificate',
      scopes: districtScopes,
    };
  }
}
