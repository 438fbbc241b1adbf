import { z } from 'zod';
import type { BackOfficeAnswer, PushedResult } from '../back-office-answer';

const reasonSchema = z.object({ code: z.string().min(1).max(64).optional(), message: z.string().min(1).max(1000) });

/** A result a back office answers with, in the gateway's terms: inline (base64) or by an https reference. */
export const answeredResultSchema = z
  .object({
    kind: z.enum(['result', 'refusal']),
    fileName: z.string().min(1).max(255),
    mediaType: z.string().min(1).max(100),
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 in hex')
      .optional(),
    content: z.base64().min(1).optional(),
    reference: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    reasons: z.array(reasonSchema).max(20).optional(),
  })
  .refine((result) => (result.content === undefined) !== (result.reference === undefined), {
    message: 'a result carries either its content (base64) or a reference, exactly one',
  });

/**
 * A back office's answer in the gateway's terms: what the fixed JSON shape carries and what a
 * district's answer mapping must produce.
 */
export const gatewayAnswerSchema = z
  .object({
    decision: z.enum(['register', 'return_for_corrections', 'refuse', 'start_processing']).optional(),
    registrationNumber: z.string().min(1).max(64).optional(),
    reasons: z.array(reasonSchema).max(20).optional(),
    decidedAt: z.iso.datetime({ offset: true }).optional(),
    backOfficeReference: z.string().min(1).max(128),
    result: answeredResultSchema.optional(),
  })
  .refine((answer) => answer.decision !== 'register' || answer.registrationNumber !== undefined, {
    message: 'a registration answer without a registration number',
    path: ['registrationNumber'],
  });

export type GatewayAnswer = z.infer<typeof gatewayAnswerSchema>;

/** The checked answer as the push adapters hand it on: an inline document decoded. */
export function toBackOfficeAnswer(answer: GatewayAnswer): BackOfficeAnswer {
  const { result, ...rest } = answer;
  if (!result) return rest;
  const pushed: PushedResult = {
    kind: result.kind,
    fileName: result.fileName,
    mediaType: result.mediaType,
    ...(result.sha256 ? { sha256: result.sha256.toLowerCase() } : {}),
    document:
      result.content !== undefined
        ? { content: Buffer.from(result.content, 'base64') }
        : { reference: result.reference! },
    ...(result.reasons ? { reasons: result.reasons } : {}),
  };
  return { ...rest, result: pushed };
}
