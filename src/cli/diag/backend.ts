// Opening the backend for a diag command, closing it afterwards, and the line that tells the
// technician which backend answers and why (a sim answer must never pass for the real cards).

import { openBackend, type OpenedBackend } from '../../hardware/open-backend';
import type { CommonArgs } from '../args';

export async function withBackend<T>(args: CommonArgs, use: (opened: OpenedBackend) => Promise<T>): Promise<T> {
  const opened = await openBackend({
    ...(args.backend ? { backend: args.backend } : {}),
    ...(args.scenario !== undefined ? { scenario: args.scenario } : {}),
  });
  try {
    return await use(opened);
  } finally {
    await opened.backend.close();
  }
}

export function backendLine(opened: OpenedBackend): string {
  return `Backend: ${opened.chosen} - ${opened.reason}`;
}

export function backendJson(opened: OpenedBackend): { kind: string; reason: string } {
  return { kind: opened.chosen, reason: opened.reason };
}
