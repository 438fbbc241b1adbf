import type { BackOfficeDecisionKind, Reason } from '@umg/contracts';

/** A back office's answer to one push, in the gateway's terms (mapped from JSON or SOAP). */
export interface BackOfficeAnswer {
  /** Present when the back office decided at once; absent when it only acknowledged. */
  decision?: BackOfficeDecisionKind;
  registrationNumber?: string;
  reasons?: Reason[];
  decidedAt?: string;
  backOfficeReference: string;
  /**
   * The result of the service, when the back office answers with it, so a push district needs no
   * second integration to upload it: the document itself (inline in JSON, an MTOM attachment in
   * SOAP) or an https reference the gateway fetches.
   */
  result?: PushedResult;
}

/** A result (or a refusal document) carried by a back office's answer. */
export interface PushedResult {
  kind: 'result' | 'refusal';
  fileName: string;
  mediaType: string;
  /** SHA-256 (hex) the back office states for the document, checked when the gateway has it. */
  sha256?: string;
  document: { content: Buffer } | { reference: string };
  /** For a refusal: why, in the back office's words. */
  reasons?: Reason[];
}

/** Why a push failed, and whether trying again can help. */
export class PushFailure extends Error {
  constructor(
    message: string,
    /** Retrying cannot help (the back office refused it, or its answer cannot be understood): park it. */
    readonly permanent: boolean,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'PushFailure';
  }
}

/** 408 and 429 and 5xx are the other side's passing trouble; other 4xx are a refusal of this message. */
export function failureForStatus(status: number, body: string): PushFailure {
  const retriable = status === 408 || status === 429 || status >= 500;
  return new PushFailure(`back office answered ${status}: ${body.slice(0, 300)}`, !retriable, status);
}
