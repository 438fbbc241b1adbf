import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BackOfficeDecision, Reason, ResultMetadata } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { PoisonMessageError } from '@umg/messaging';
import { districtScope } from '../application/district-scope';
import { type Decision, DistrictDecisionRunner } from '../district-decisions/district-decision-runner';
import { RefuseApplicationService } from '../district-decisions/refuse-application.service';
import { RegisterApplicationService } from '../district-decisions/register-application.service';
import { ReturnForCorrectionsService } from '../district-decisions/return-for-corrections.service';
import { StartProcessingService } from '../district-decisions/start-processing.service';
import { SubmitResultService } from '../district-decisions/submit-result.service';
import { AnsweredDocumentsClient } from './answered-documents.client';
import { InjectLogger } from '../inject-logger';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';
import type { Actor } from '../lifecycle/application-status';

/** What checkResultDocument refuses a document with. */
const resultRefusals = new Set<ApplicationErrorCode>([
  ApplicationErrorCode.UnsupportedMediaType,
  ApplicationErrorCode.PayloadTooLarge,
  ApplicationErrorCode.Sha256Mismatch,
  ApplicationErrorCode.ValidationFailed,
]);

export type DecisionOutcome = 'applied' | 'already_applied' | 'not_found';

/**
 * A push district's back office decided: the decision is applied through the same use cases as
 * the district API's, as the district itself (actor `<district>/<adapter>`). A decision the
 * application has already moved past (a repeated answer) changes nothing.
 */
@Injectable()
export class ApplyBackOfficeDecisionService {
  constructor(
    private readonly decisions: DistrictDecisionRunner,
    private readonly registration: RegisterApplicationService,
    private readonly returns: ReturnForCorrectionsService,
    private readonly refusals: RefuseApplicationService,
    private readonly processing: StartProcessingService,
    private readonly results: SubmitResultService,
    private readonly answeredDocuments: AnsweredDocumentsClient,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** Runs inside the caller's transaction, so the decision and the consumer's inbox row commit together. */
  async apply(manager: EntityManager, decision: BackOfficeDecision, adapter: string): Promise<DecisionOutcome> {
    const scope = districtScope(decision.districtCode);
    if (!scope) return 'not_found';
    const actor: Actor = { kind: 'district', id: `${decision.districtCode}/${adapter}` };
    const reasons: Reason[] = decision.reasons?.length
      ? decision.reasons
      : [{ message: `decided in the back office (${decision.backOfficeReference})` }];
    try {
      // The back office decided on the application as it is now: no version to check.
      await this.decisions.runWithin(manager, scope, decision.applicationId, this.decisionOf(decision, actor, reasons));
    } catch (error) {
      if (error instanceof ApplicationError && error.code === ApplicationErrorCode.TransitionNotAllowed) {
        this.logger.info(
          { applicationId: decision.applicationId, decision: decision.decision },
          'back-office decision already applied or overtaken',
        );
        return 'already_applied';
      }
      if (error instanceof ApplicationError && error.code === ApplicationErrorCode.NotFound) {
        this.logger.warn(
          { applicationId: decision.applicationId, districtCode: decision.districtCode },
          'back-office decision for an unknown application',
        );
        return 'not_found';
      }
      if (error instanceof ApplicationError && resultRefusals.has(error.code)) {
        // The document does not pass the result rules: retrying cannot help; parked with the reason.
        throw new PoisonMessageError('result_document_refused', error.message);
      }
      if (error instanceof ApplicationError && error.code === ApplicationErrorCode.RegistrationNumberTaken) {
        // Retrying cannot help: the back office must be told, so the message is parked with the reason.
        throw new PoisonMessageError('registration_number_taken', error.message);
      }
      throw error;
    }
    this.logger.info(
      { applicationId: decision.applicationId, decision: decision.decision, actor: actor.id },
      'back-office decision applied',
    );
    return 'applied';
  }

  /** The decision as the district API's use cases make it. */
  private decisionOf(decision: BackOfficeDecision, actor: Actor, reasons: Reason[]): Decision {
    switch (decision.decision) {
      case 'register':
        return this.registration.decision(actor, {
          registrationNumber: decision.registrationNumber!,
          registeredAt: decision.decidedAt,
        });
      case 'return_for_corrections':
        return this.returns.decision(actor, { reasons });
      case 'refuse':
        return this.refusals.decision(actor, { reasons });
      case 'submit_result': {
        // The same checks and transition as the district API's submitResult, with the document
        // the districts service holds for this decision, taken once the application is found.
        const result = decision.result;
        if (!result) throw new PoisonMessageError('invalid_payload', 'a submit_result decision without its result');
        return async (manager, application) => {
          const content = await this.answeredDocuments.fetch(result.documentId);
          const metadata: ResultMetadata = {
            kind: result.kind,
            fileName: result.fileName,
            mediaType: result.mediaType as ResultMetadata['mediaType'],
            sha256: result.sha256,
          };
          return this.results.decision(actor, metadata, content)(manager, application);
        };
      }
      case 'start_processing':
        return this.processing.decision(actor, { note: `back office ${decision.backOfficeReference}` });
    }
  }
}
