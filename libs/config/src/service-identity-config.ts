import { join } from 'node:path';
import { z } from 'zod';

/** Where a service finds its own signing key and the public keys of its callers. */
export const serviceIdentityConfigShape = {
  // Optional here so the profile checks (loopback, development secrets) speak first; the keys are
  // loaded right after, and a missing folder stops the service at boot (serviceIdentityOrExit).
  SERVICE_IDENTITY_DIR: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Folder of service identity keys: this service’s own ES256 key as <service>/identity.key.pem and the public keys of the services it accepts calls from as <caller>/identity*.public.pem (several while a key rotates). Required in every profile (the service refuses to start without it); the dev and test layouts generate it.',
    ),
};

/** The services that sign and check service tokens; a token's `iss`/`sub` and `aud` are these names. */
export const serviceNames = ['gateway', 'applications', 'payments', 'delivery', 'districts'] as const;
export type ServiceName = (typeof serviceNames)[number];

/** Where a service's key pair lives in an identity folder (the PKI tool writes this layout). */
export function serviceIdentityFiles(dir: string, service: ServiceName) {
  return {
    dir: join(dir, service),
    privateKey: join(dir, service, 'identity.key.pem'),
    publicKey: join(dir, service, 'identity.public.pem'),
  };
}
