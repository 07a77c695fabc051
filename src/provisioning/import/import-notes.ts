// What `provision import` tells the user: notes for what it read but could not carry into the
// site model, and the one error it throws for a file dahdi_cfg or Asterisk would refuse.

import { ProvisioningError } from '../errors';
import type { SourceRef } from './conf-lexer';

export interface ImportNote {
  file: string;
  line: number;
  message: string;
}

export function note(at: SourceRef, message: string): ImportNote {
  return { file: at.file, line: at.line, message };
}

/** A file the real tools would reject: IMPORT_INVALID with file:line and the reason. */
export function importInvalid(at: SourceRef, reason: string): ProvisioningError {
  return new ProvisioningError('IMPORT_INVALID', `${at.file}:${at.line}: ${reason}`, [
    { path: at.file, line: at.line, message: reason, severity: 'error' },
  ]);
}

export function importUnreadable(file: string, reason: string): ProvisioningError {
  return new ProvisioningError('IMPORT_UNREADABLE', `${file}: ${reason}`, [
    { path: file, message: reason, severity: 'error' },
  ]);
}
