import { z } from 'zod';
import { bicProblem, bulgarianIbanProblem } from '@umg/catalogue';
import type { AdapterStyle, DistrictsInternal } from '@umg/contracts';
import type { MappingSamples } from '../push/mappings/mapping-samples';
import { mappingChecks } from '../push/mappings/mapping-checks';
import { mappingSamplesSchema } from '../push/mappings/mapping-samples';
import { districtSecretPattern } from './district-secret';
import { DistrictError, DistrictErrorCode } from './district-error';

export const adapterStyleSchema = z.enum(['pull', 'push_json', 'push_soap']);

export const bankSchema = z.object({
  iban: z.string().superRefine((iban, context) => {
    const problem = bulgarianIbanProblem(iban);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  }),
  bic: z.string().superRefine((bic, context) => {
    const problem = bicProblem(bic);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  }),
  bankName: z.string().trim().min(1).max(200),
  placeholder: z.boolean(),
});

/** The district's own client in the payment system, as issued; the secret is sealed before it is stored. */
export const paymentSystemClientSchema = z
  .object({
    clientId: z.string().trim().min(1).max(200),
    secret: z.string().min(16).max(500),
  })
  .strict();

export const contactSchema = z.object({
  role: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  email: z.string().max(200).optional(),
  phone: z.string().max(64).optional(),
});

/**
 * The profile fields the profiles file (configuration, read at boot) may set. An operator's change
 * over HTTP is checked against ProfileChange of the contract instead, then by checkedProfileChange.
 */
export const profileFieldsSchema = z.object({
  adapterStyle: adapterStyleSchema.optional(),
  endpoint: z.url().max(500).nullable().optional(),
  credentialsRef: z
    .string()
    .regex(districtSecretPattern, 'must name a DISTRICT_SECRET_* variable')
    .nullable()
    .optional(),
  /** Checked by the adapter style's own schema (mappingChecks), where the style is known. */
  mapping: z.record(z.string(), z.unknown()).nullable().optional(),
  mappingSamples: mappingSamplesSchema.nullable().optional(),
  bank: bankSchema.optional(),
  paymentSystemClient: paymentSystemClientSchema.nullable().optional(),
  contacts: z.array(contactSchema).max(50).optional(),
});

export type ProfileFields = z.infer<typeof profileFieldsSchema>;

/** A profile change as the update use case takes it: the profile fields, and why. */
export type ProfileChange = ProfileFields & { reason: string };

/** A district's e-delivery identity, as the profiles file gives it. */
export const eDeliveryIdentitySchema = z.object({
  unitIdentifier: z.string().regex(/^([0-9]{9}|[0-9]{13})$/),
  certificateThumbprint: z
    .string()
    .regex(/^[0-9A-F]{40}$/)
    .nullable()
    .default(null),
  signingKeyRef: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/),
});

/** A district's entry in the profiles file: the profile fields, and its e-delivery identity. */
export const profilesFileEntrySchema = profileFieldsSchema
  .extend({ eDelivery: eDeliveryIdentitySchema.optional() })
  .transform((entry, context) => {
    const check = entry.adapterStyle && entry.mapping ? mappingChecks[entry.adapterStyle] : undefined;
    if (!check) return entry;
    const mapping = check.schema.safeParse(entry.mapping);
    if (mapping.success) return { ...entry, mapping: mapping.data };
    for (const issue of mapping.error.issues) context.addIssue({ ...issue, path: ['mapping', ...issue.path] });
    return z.NEVER;
  });
export type ProfilesFileEntry = z.output<typeof profilesFileEntrySchema>;

/** The made-up accounts seeded at Municipal Bank (see placeholderIban). */
const seededPlaceholderIban = /^BG[0-9]{2}SOMB9130[0-9]{10}$/;

type ContractProfileChange = DistrictsInternal.components['schemas']['ProfileChange'];

/**
 * What the contract's schema cannot say about a change it accepted: IBAN check digits, a BIC
 * the bank registry knows, an endpoint that is a URL. 400 validation_failed with the fields
 * otherwise. The mapping is checked by the update (checkedMapping), which knows the adapter style.
 */
export function checkedProfileChange(change: ContractProfileChange): ProfileChange {
  const errors: { field: string; code: string; message: string }[] = [];
  const ibanProblem = change.bank && bulgarianIbanProblem(change.bank.iban);
  if (ibanProblem) errors.push({ field: 'bank.iban', code: 'invalid_iban', message: ibanProblem });
  // An operator enters what the district confirmed: placeholders are only ever seeded.
  if (change.bank?.placeholder) {
    errors.push({
      field: 'bank.placeholder',
      code: 'placeholder_not_accepted',
      message: 'enter the district’s confirmed bank details, not a placeholder',
    });
  }
  if (change.bank && seededPlaceholderIban.test(change.bank.iban)) {
    errors.push({
      field: 'bank.iban',
      code: 'placeholder_iban',
      message: 'this is the made-up account the register was seeded with',
    });
  }
  const bicProblemText = change.bank && bicProblem(change.bank.bic);
  if (bicProblemText) errors.push({ field: 'bank.bic', code: 'invalid_bic', message: bicProblemText });
  if (typeof change.endpoint === 'string' && !URL.canParse(change.endpoint)) {
    errors.push({ field: 'endpoint', code: 'invalid_format', message: 'must be a URL' });
  }
  const reason = change.reason.trim();
  if (reason.length < 3)
    errors.push({ field: 'reason', code: 'too_short', message: 'say why in 3 characters or more' });
  if (errors.length > 0) {
    throw new DistrictError(DistrictErrorCode.ValidationFailed, `${errors.length} field(s) not valid`, errors);
  }
  return {
    ...change,
    bank: change.bank && { ...change.bank, bankName: change.bank.bankName.trim() },
    paymentSystemClient: change.paymentSystemClient && {
      ...change.paymentSystemClient,
      clientId: change.paymentSystemClient.clientId.trim(),
    },
    reason,
  };
}

/**
 * The mapping of the profile as it will be, parsed by its adapter style's schema (400
 * validation_failed) and run on its samples (422 mapping_does_not_fit_samples), so a mapping that
 * cannot work is refused when saved, not found out at the first push.
 */
export async function checkedMapping(
  districtCode: string,
  adapterStyle: AdapterStyle,
  mapping: Record<string, unknown> | null,
  samples: MappingSamples | null,
): Promise<Record<string, unknown> | null> {
  const check = mapping ? mappingChecks[adapterStyle] : undefined;
  if (!mapping || !check) return mapping;
  const parsed = check.schema.safeParse(mapping);
  if (!parsed.success) {
    throw new DistrictError(
      DistrictErrorCode.ValidationFailed,
      `the ${adapterStyle} mapping is not valid`,
      parsed.error.issues.slice(0, 20).map((issue) => ({
        field: ['mapping', ...issue.path].join('.'),
        code: 'invalid_mapping',
        message: issue.message,
      })),
    );
  }
  const problems = await check.check(districtCode, parsed.data, samples);
  if (problems.length > 0) {
    throw new DistrictError(
      DistrictErrorCode.MappingDoesNotFitSamples,
      `the mapping does not fit its samples: ${problems.length} problem(s), the first: ${problems[0]!.message}`,
      problems.slice(0, 20),
    );
  }
  return parsed.data;
}
