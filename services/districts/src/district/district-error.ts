/** Stable codes of the districts module; operators' tools switch on these. */
export enum DistrictErrorCode {
  DistrictNotFound = 'district_not_found',
  ServiceNotFound = 'service_not_found',
  PushNotFound = 'push_not_found',
  PhaseChangeNotAllowed = 'phase_change_not_allowed',
  ConformanceRequired = 'conformance_required',
  BankDetailsRequired = 'bank_details_required',
  PushNotParked = 'push_not_parked',
  ValidationFailed = 'validation_failed',
  OperatorMissing = 'operator_missing',
  SignatureInvalid = 'signature_invalid',
  ServicePhaseChangeNotAllowed = 'service_phase_change_not_allowed',
  ServiceNotEnableable = 'service_not_enableable',
  ConformanceRunNotFound = 'conformance_run_not_found',
  ReasonRequired = 'reason_required',
  MappingDoesNotFitSamples = 'mapping_does_not_fit_samples',
  DocumentNotFound = 'document_not_found',
}

export class DistrictError extends Error {
  constructor(
    readonly code: DistrictErrorCode,
    message: string,
    readonly details?: { field: string; code: string; message: string }[],
  ) {
    super(message);
    this.name = 'DistrictError';
  }
}
