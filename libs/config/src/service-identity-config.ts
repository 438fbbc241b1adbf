import { z } from 'zod';

/** Where a service finds its own signing key and the public keys of its callers. */
export const serviceIdentityConfigShape = {
  SERVICE_IDENTITY_DIR: z
    .string({ error: 'SERVICE_IDENTITY_DIR is required: the folder of service identity keys (npm run pki -- init)' })
    .min(1)
    .describe(
      'Folder of service identity keys: this service’s own ES256 key as <service>/identity.key.pem and the public keys of the services it accepts calls from as <caller>/*.public.pem (several while a key rotates). Required in every profile; the dev and test layouts generate it.',
    ),
};
