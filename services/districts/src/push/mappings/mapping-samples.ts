import { z } from 'zod';
import type { DistrictsInternal } from '@umg/contracts';

/** The samples an operator supplies with a mapping (ProfileChange.mappingSamples), stored with the profile version. */
export type MappingSamples = DistrictsInternal.components['schemas']['MappingSamples'];

const pushKind = z.enum(['application', 'status_change', 'deadline_alert']);

/** The same shape as the contract's, for the profiles file (read at boot, not through the contract). */
export const mappingSamplesSchema = z
  .object({
    answers: z
      .array(
        z
          .object({
            name: z.string().min(1).max(100),
            kind: pushKind.optional(),
            contentType: z.string().max(500).optional(),
            body: z.unknown(),
          })
          .strict(),
      )
      .min(1)
      .max(20),
    requests: z
      .array(z.object({ kind: pushKind, body: z.unknown() }).strict())
      .max(10)
      .optional(),
  })
  .strict();
