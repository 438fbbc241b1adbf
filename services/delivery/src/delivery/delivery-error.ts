/** Stable codes of the delivery module's errors. */
export enum DeliveryErrorCode {
  InvalidRequest = 'invalid_request',
  ReceivedDocumentNotFound = 'received_document_not_found',
}

export class DeliveryError extends Error {
  constructor(
    readonly code: DeliveryErrorCode,
    message: string,
    readonly details?: { field: string; code: string; message: string }[],
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
