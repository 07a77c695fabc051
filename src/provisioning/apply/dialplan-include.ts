// Whether Asterisk reads the generated dialplan: extensions_tdmgate.conf does nothing until
// extensions.conf pulls it in with #include (or #tryinclude), directly or through a file it
// includes (FreePBX keeps local additions in extensions_custom.conf). tdmgate never edits
// extensions.conf - it is the customer's, or FreePBX's - so apply looks and says what to add.
// Reading goes through FileOps; the parsing is pure.

import { basename, isAbsolute, join } from 'node:path';
import { DIALPLAN_FILE, DIALPLAN_INCLUDE_LINE } from '../generate/dialplan';
import type { FileOps } from './file-ops';
import { onDisk } from './paths';

const ASTERISK_DIR = '/etc/asterisk';
export const EXTENSIONS_CONF = `${ASTERISK_DIR}/extensions.conf`;
/** Files followed from extensions.conf at most this deep (includes can nest; a loop must end). */
const MAX_DEPTH = 3;

export interface DialplanInclude {
  included: boolean;
  /** The file that includes it, when one does (an install path). */
  by: string | null;
  /** The exact line to add, and where, when none does. */
  includeLine: string;
  message: string;
}

/** The files a config file #includes or #tryincludes, as written (quotes removed). */
export function includedFiles(text: string): string[] {
  return text.split('\n').flatMap((line) => {
    const m = /^\s*#(?:try)?include\s+(?:"([^"]+)"|<([^>]+)>|(\S+))/.exec(line);
    const name = m?.[1] ?? m?.[2] ?? m?.[3];
    return name === undefined ? [] : [name];
  });
}

/** An include's install path: relative names are read from Asterisk's config directory. */
function installPath(name: string): string {
  return isAbsolute(name) ? name : `${ASTERISK_DIR}/${name}`;
}

export async function findDialplanInclude(ops: FileOps, root: string): Promise<DialplanInclude> {
  const seen = new Set<string>();
  let level = [EXTENSIONS_CONF];
  for (let depth = 0; depth < MAX_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for (const file of level) {
      if (seen.has(file)) continue;
      seen.add(file);
      const text = await ops.readText(onDisk(root, file));
      if (text === null) continue;
      const names = includedFiles(text);
      if (names.some((n) => basename(n) === DIALPLAN_FILE)) {
        return { included: true, by: file, includeLine: DIALPLAN_INCLUDE_LINE, message: `${file} includes ${DIALPLAN_FILE}` };
      }
      // Globs (#include "custom/*.conf") are not followed: their files are not known by name.
      next.push(...names.filter((n) => !/[*?[]/.test(n)).map(installPath));
    }
    level = next;
  }
  return {
    included: false,
    by: null,
    includeLine: DIALPLAN_INCLUDE_LINE,
    message: `Asterisk does not read ${join(ASTERISK_DIR, DIALPLAN_FILE)} yet: add the line "${DIALPLAN_INCLUDE_LINE}" at the end of ${EXTENSIONS_CONF} ` +
      '(outside any context; on FreePBX in extensions_custom.conf), then reload the dialplan (asterisk -rx "dialplan reload"). ' +
      'Until then DID routes and the blacklist do not act: calls land in contexts your dialplan defines, or are refused',
  };
}
