// Typed errors of the ARI stand-in: AriHttpError is an answer Asterisk would give ({"message"}
// with its status code); StandinError is a misuse of the stand-in's own control API.

export class AriHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AriHttpError';
  }
}

export type StandinErrorCode = 'NOT_RUNNING' | 'NO_FREE_CHANNEL' | 'UNKNOWN_CHANNEL' | 'BAD_CONFIG' | 'UNKNOWN_GROUP' | 'UNKNOWN_SPAN';

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
