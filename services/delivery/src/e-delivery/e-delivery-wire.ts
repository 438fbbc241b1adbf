// e-delivery's (ССЕВ) integration API as the delivery service uses it: the JSON bodies on the wire.

export interface EDeliveryProfile {
  profileId: string;
  identifier: string | null;
  name: string;
  targetGroup: string;
}

export interface EDeliveryBlob {
  blobId: string;
  fileName: string;
  size: number;
  sha256: string;
  malwareScanResult: { status: 'NONE' | 'NOTMALICIOUS' | 'NOTSURE' | 'ISMALICIOUS'; scannedAt?: string };
  signatures: {
    status: 'VALID' | 'INVALIDINTEGRITY' | 'CERTIFICATEEXPIREDATTIMEOFSIGNING' | 'INVALIDCERTIFICATE';
    signer?: string;
  }[];
}

export interface EDeliverySendMessageRequest {
  recipientProfileIds: string[];
  subject: string;
  /** The service reference number (РНУ). */
  rnu: string;
  serviceNumber: number;
  /** Our delivery id: e-delivery answers a repeated one with the message already sent (duplicate detection). */
  additionalIdentifier: string;
  sender: { name: string; identifier: string };
  body: string;
  fields: Record<string, string>;
  blobIds: string[];
}

export interface EDeliveryMessageStatus {
  messageId: string;
  sentAt: string;
  /** Non-repudiation of origin. */
  nroTimestamp: string | null;
  recipients: {
    profileId: string;
    dateReceived: string | null;
    dateOpened: string | null;
    /** Non-repudiation of delivery. */
    nrdTimestamp: string | null;
  }[];
}
