/** What is replayed: the first response's status, body and the headers worth repeating (Location). */
export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** A finished request under a key: its fingerprint (to detect a different body) and its response. */
export interface IdempotencyRecord {
  fingerprint: string;
  response: StoredResponse;
}

/** A key is scoped per user: the same key from two users names two requests. */
export interface IdempotencyScope {
  userId: string;
  key: string;
}

export interface IdempotentRequest extends IdempotencyScope {
  fingerprint: string;
}
