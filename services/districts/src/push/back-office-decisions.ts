import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type BackOfficeDecision, cloudEventTypes, SchemaValidator } from '@umg/contracts';
import { Outbox, Topics } from '@umg/messaging';
import { type BackOfficeAnswer, PushFailure } from './back-office-answer';
import type { CheckedDocument } from './answered-documents';

/** Turns a back office's answer into a BackOfficeDecision for the applications service. */
@Injectable()
export class BackOfficeDecisions {
  constructor(
    private readonly validator: SchemaValidator,
    private readonly outbox: Outbox,
  ) {}

  /** The decision an answer carries, checked against the contract; undefined for a mere acknowledgement. */
  decisionOf(applicationId: string, districtCode: string, answer: BackOfficeAnswer): BackOfficeDecision | undefined {
    // A result comes as its own decision once its document is in hand (resultDecisionOf).
    if (!answer.decision || answer.decision === 'submit_result') return undefined;
    const decision: BackOfficeDecision = {
      applicationId,
      districtCode,
      decision: answer.decision,
      ...(answer.registrationNumber ? { registrationNumber: answer.registrationNumber } : {}),
      ...(answer.reasons ? { reasons: answer.reasons } : {}),
      decidedAt: answer.decidedAt ?? new Date().toISOString(),
      backOfficeReference: answer.backOfficeReference,
    };
    return this.checked(decision);
  }

  /** The result the answer carried, as a decision naming the document held for the applications service. */
  resultDecisionOf(
    applicationId: string,
    districtCode: string,
    answer: BackOfficeAnswer,
    document: CheckedDocument,
    documentId: string,
  ): BackOfficeDecision {
    return this.checked({
      applicationId,
      districtCode,
      decision: 'submit_result',
      ...(answer.result?.reasons ? { reasons: answer.result.reasons } : {}),
      decidedAt: answer.decidedAt ?? new Date().toISOString(),
      backOfficeReference: answer.backOfficeReference,
      result: {
        kind: document.kind,
        fileName: document.fileName,
        mediaType: document.mediaType,
        sha256: document.sha256,
        size: document.content.length,
        documentId,
      },
    });
  }

  private checked(decision: BackOfficeDecision): BackOfficeDecision {
    const result = this.validator.validate<BackOfficeDecision>('BackOfficeDecision', decision);
    if (!result.ok) {
      throw new PushFailure(
        `the answer does not map to a valid decision: ${JSON.stringify(result.errors).slice(0, 300)}`,
        true,
      );
    }
    return result.value;
  }

  async publish(manager: EntityManager, decision: BackOfficeDecision): Promise<void> {
    await this.outbox.enqueue(manager, {
      topic: Topics.backOfficeDecisions,
      key: decision.applicationId,
      type: cloudEventTypes.BackOfficeDecision,
      payload: decision,
    });
  }
}
