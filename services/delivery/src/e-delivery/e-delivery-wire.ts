// ССЕВ's (e-delivery) SOAP integration service as the delivery service uses it (contracts/e-delivery/).

export type ReceiverType = 'Person' | 'LegalPerson' | 'Institution';

export interface OutgoingDocument {
  name: string;
  contentType: string;
  content: Buffer;
  /** Our number for the document: lets us find the message again (GetSentDocumentStatusByRegNum). */
  registrationNumber: string;
}

/** What SendMessage carries in its DcMessageDetails. */
export interface OutgoingMessage {
  title: string;
  text: string;
  documents: OutgoingDocument[];
}

export interface SendMessageRequest {
  message: OutgoingMessage;
  receiverType: ReceiverType;
  receiverIdentifier: string;
  receiverEmail: string | null;
  serviceOid: string | null;
}

/** A `.tsr` file (RFC 3161) ССЕВ issues: NRO when sent, NRD when the recipient opens the message. */
export interface TimeStampFile {
  fileName: string;
  data: Buffer;
}

export interface SentMessageStatus {
  messageId: number;
  dateSent: Date | null;
  /** Null until the recipient opens the message (legal delivery). */
  dateReceived: Date | null;
  nro: TimeStampFile | null;
  nrd: TimeStampFile | null;
}

export interface SubjectRegistration {
  hasRegistration: boolean;
  /** ССЕВ's ElectronicSubjectId of the subject, when registered. */
  subjectId: string | null;
}
