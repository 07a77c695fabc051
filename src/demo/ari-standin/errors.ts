// Typed errors of the ARI stand-in: AriHttpError is an answer Asterisk would give (its status
// code and body: {"message"} as ast_ari_response_error writes it, or another JSON body where
// res_ari writes one), HtmlHttpError one that Asterisk's HTTP core writes as an HTML page before
// res_ari runs; StandinError is a misuse of the stand-in's own control API.

export class AriHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The JSON body when it is not {"message": message}. */
    readonly body: Record<string, unknown> = { message },
  ) {
    super(message);
    this.name = 'AriHttpError';
  }
}

/** ast_http_error: a text/html page with the status line's text and a sentence. */
export class HtmlHttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
    this.name = 'HtmlHttpError';
  }
}

export type StandinErrorCode = 'NOT_RUNNING' | 'NO_FREE_CHANNEL' | 'UNKNOWN_CHANNEL' | 'BAD_CONFIG' | 'UNKNOWN_GROUP' | 'UNKNOWN_SPAN' | 'NOT_IN_STASIS';

export class StandinError extends Error {
  constructor(
    readonly code: StandinErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StandinError';
  }
}

export const notFound = (what = 'Channel not found'): AriHttpError => new AriHttpError(404, what);
export const badRequest = (what: string): AriHttpError => new AriHttpError(400, what);

/**
 * ast_ari_response_alloc_failed: res_ari answers a failed allocation (an originate whose
 * channel driver refused the request) with its out-of-memory body, {"error"} not {"message"}.
 */
export const allocationFailed = (): AriHttpError => new AriHttpError(500, 'Allocation failed', { error: 'Allocation failed' });
