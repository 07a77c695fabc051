// What of a request's body the audit table keeps: its JSON, shortened, with any value whose name
// says it is a secret (token, password, secret, authorization) replaced, so the audit log never
// becomes a place to steal credentials from. Pure.

const SECRET_NAME = /token|password|passwd|secret|authorization|api[-_]?key/i;
export const SUMMARY_LENGTH = 1000;

export function bodySummary(body: unknown): string {
  if (body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0)) return '';
  const text = JSON.stringify(body, (key, value: unknown) => (key !== '' && SECRET_NAME.test(key) ? '[redacted]' : value)) ?? '';
  return text.length > SUMMARY_LENGTH ? `${text.slice(0, SUMMARY_LENGTH - 3)}...` : text;
}
