import { ProblemException } from '@umg/problem';
import { DistrictError, DistrictErrorCode } from './district-error';

/** The one place that says how each districts error reads over HTTP. */
export function districtErrorToProblem(error: unknown): ProblemException | undefined {
  return error instanceof DistrictError ? toProblem(error) : undefined;
}

function toProblem(error: DistrictError): ProblemException {
  const problem = (status: number, title: string) =>
    new ProblemException(status, error.code, title, error.message, error.details);
  switch (error.code) {
    case DistrictErrorCode.DistrictNotFound:
      return problem(404, 'District not found');
    case DistrictErrorCode.ServiceNotFound:
      return problem(404, 'Service not found in the catalogue');
    case DistrictErrorCode.PushNotFound:
      return problem(404, 'Push not found');
    case DistrictErrorCode.PhaseChangeNotAllowed:
      return problem(409, 'This phase change is not allowed');
    case DistrictErrorCode.ConformanceRequired:
      return problem(409, 'A passing conformance run of the current profile is required');
    case DistrictErrorCode.BankDetailsRequired:
      return problem(409, 'The district’s real bank details are required');
    case DistrictErrorCode.PushNotParked:
      return problem(409, 'Only a parked push can be replayed');
    case DistrictErrorCode.ValidationFailed:
      return problem(400, 'The request is not valid');
    case DistrictErrorCode.OperatorMissing:
      return problem(403, 'An operator change must say which operator acts');
    case DistrictErrorCode.SignatureInvalid:
      return problem(401, 'The signature is missing, stale or wrong');
    case DistrictErrorCode.ServicePhaseChangeNotAllowed:
      return problem(409, 'This service phase change is not allowed');
    case DistrictErrorCode.ServiceNotEnableable:
      return problem(409, 'The catalogue lacks what this service needs before it can be offered');
    case DistrictErrorCode.ConformanceRunNotFound:
      return problem(404, 'Conformance run not found');
    case DistrictErrorCode.ReasonRequired:
      return problem(400, 'Say why');
    case DistrictErrorCode.MappingDoesNotFitSamples:
      return problem(422, 'The mapping does not fit its samples');
    case DistrictErrorCode.DocumentNotFound:
      return problem(404, 'Document not found');
  }
}
