import type { z } from 'zod';
import type { MappingSamples } from './mapping-samples';

/** One reason a mapping does not fit: which expression or sample, and why. */
export interface MappingProblem {
  field: string;
  code: string;
  message: string;
}

/**
 * How a mapping of one adapter style is checked when a profile is saved: its structure (`schema`,
 * a 400 when it does not parse) and whether it works on the operator's samples (`check`, a 422
 * `mapping_does_not_fit_samples` with the problems). Each push adapter plugs its own entry in.
 */
export interface MappingCheck {
  schema: z.ZodType<Record<string, unknown>>;
  check(
    districtCode: string,
    mapping: Record<string, unknown>,
    samples: MappingSamples | null,
  ): Promise<MappingProblem[]>;
}
