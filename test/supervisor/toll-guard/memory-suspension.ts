// The toll guard's suspension seam as the API's token store implements it, kept in memory for
// the tests: which tokens are suspended, and why.

import type { TokenSuspension } from '../../../src/supervisor/toll-guard/token-suspension';

export class MemorySuspension implements TokenSuspension {
  readonly suspended = new Map<string, string>();

  suspend(token: string, reason: string): Promise<void> {
    this.suspended.set(token, reason);
    return Promise.resolve();
  }

  isSuspended(token: string): Promise<boolean> {
    return Promise.resolve(this.suspended.has(token));
  }
}
