/** An answer of the gateway as it was sent, so a retry with the same key gets it again. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}
