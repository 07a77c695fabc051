// The seam between the toll guard and whoever keeps the API tokens: the guard asks whether a
// token is suspended before each of its calls, and suspends it when it runs into a cap. The
// composition root passes the REST API's token store here; the guard keeps no token state of
// its own, so every box sees one answer.

export interface TokenSuspension {
  /** Refuses the token's further requests (API calls and its queued jobs) until an operator lifts it. */
  suspend(token: string, reason: string): Promise<void>;
  isSuspended(token: string): Promise<boolean>;
}
