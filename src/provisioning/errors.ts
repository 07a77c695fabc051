// Typed errors of provisioning. Codes are stable (the CLI maps them to exit codes); every
// problem found in a site file travels as a SiteIssue, never only as message text.

import type { SiteIssue } from './site/site-types';

export type ProvisioningErrorCode =
  | 'SITE_INVALID'
  | 'SITE_UNREADABLE'
  | 'IMPORT_INVALID'
  | 'IMPORT_UNREADABLE'
  | 'APPLY_FAILED'
  | 'ROLLBACK_UNAVAILABLE'
  /** The rollback would remove files the backup predates, and --force was not given. */
  | 'ROLLBACK_REMOVES'
  /** The disk changed between showing a rollback's plan and carrying it out. */
  | 'ROLLBACK_CHANGED';

export class ProvisioningError extends Error {
  readonly code: ProvisioningErrorCode;
  readonly issues: SiteIssue[];

  constructor(code: ProvisioningErrorCode, message: string, issues: SiteIssue[] = []) {
    super(message);
    this.name = 'ProvisioningError';
    this.code = code;
    this.issues = issues;
  }
}

export function isProvisioningError(err: unknown, code?: ProvisioningErrorCode): err is ProvisioningError {
  return err instanceof ProvisioningError && (code === undefined || err.code === code);
}
