/** One field-level complaint inside a problem. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/** RFC 9457 problem details, with the stable `code` clients switch on. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  correlationId?: string;
  errors?: FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemTypeFor(code: string): string {
  return `urn:umg:problem:${code.replace(/_/g, '-')}`;
}
