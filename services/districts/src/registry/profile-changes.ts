import { z } from 'zod';
import { bicProblem, bulgarianIbanProblem } from '@umg/catalogue';
import { soapMappingSchema } from '../push/soap-mapping';
import { districtSecretPattern } from './district-secret';

export const adapterStyleSchema = z.enum(['pull', 'push_json', 'push_soap']);
export const phaseSchema = z.enum(['not_started', 'onboarding', 'pilot', 'live', 'suspended']);
export const reasonSchema = z.string().trim().min(3).max(1000);

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

/** The profile fields an operator (or the profiles file) may set; mirrors ProfileChange in the contract. */
export const profileFieldsSchema = z.object({
  adapterStyle: adapterStyleSchema.optional(),
  endpoint: z.url().max(500).nullable().optional(),
  credentialsRef: z
    .string()
    .regex(districtSecretPattern, 'must name a DISTRICT_SECRET_* variable')
    .nullable()
    .optional(),
  mapping: soapMappingSchema.nullable().optional(),
  bank: bankSchema.optional(),
  paymentSystemClient: paymentSystemClientSchema.nullable().optional(),
  contacts: z.array(contactSchema).max(50).optional(),
});

export type ProfileFields = z.infer<typeof profileFieldsSchema>;

export const profileChangeSchema = profileFieldsSchema.extend({ reason: reasonSchema }).strict();
export type ProfileChange = z.infer<typeof profileChangeSchema>;

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
export const profilesFileEntrySchema = profileFieldsSchema.extend({ eDelivery: eDeliveryIdentitySchema.optional() });
export type ProfilesFileEntry = z.infer<typeof profilesFileEntrySchema>;
