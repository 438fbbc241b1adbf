/** What differs between the SOAP versions on the wire. */
export interface SoapVersionRules {
  envelopeNamespace: string;
  /** The request's headers for an operation's action. */
  headers(action: string): Record<string, string>;
}

export const soapVersions: Record<'1.1' | '1.2', SoapVersionRules> = {
  '1.1': {
    envelopeNamespace: 'http://schemas.xmlsoap.org/soap/envelope/',
    headers: (action) => ({ 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${action}"` }),
  },
  '1.2': {
    envelopeNamespace: 'http://www.w3.org/2003/05/soap-envelope',
    // SOAP 1.2 has no SOAPAction header: the action is a parameter of the media type.
    headers: (action) => ({ 'Content-Type': `application/soap+xml; charset=utf-8; action="${action}"` }),
  },
};

/** The prefix the gateway gives the envelope's elements, whichever the version. */
export const envelopePrefix = 'soap';
