// Where the CDRs live, from one string: `sqlite:///abs/path.db`, a plain file path, or
// `mysql://user:pass@host:port/db` (`mariadb://` is the same). No URL: SQLite in the data
// directory. Parsing is separate from connecting so a bad URL is refused before anything opens.

import { isAbsolute, join, resolve } from 'node:path';
import { StoreError } from './store-errors';

export type DatabaseTarget =
  | { dialect: 'sqlite'; filename: string }
  | { dialect: 'mysql'; host: string; port: number; user: string; password: string; database: string };

export const DEFAULT_SQLITE_FILE = 'tdmgate.db';

export function parseDatabaseUrl(url: string | undefined, dataDir: string): DatabaseTarget {
  const text = url?.trim() ?? '';
  if (text === '') return { dialect: 'sqlite', filename: join(resolve(dataDir), DEFAULT_SQLITE_FILE) };
  if (text.startsWith('sqlite:')) {
    // sqlite:///abs/path.db -> /abs/path.db; sqlite:relative.db -> under the data directory.
    const path = decodeURIComponent(text.replace(/^sqlite:(\/\/)?/, ''));
    if (path === '' || path === '/') throw new StoreError('URL_INVALID', `no file in database URL ${text}`);
    return { dialect: 'sqlite', filename: isAbsolute(path) ? path : join(resolve(dataDir), path) };
  }
  if (/^(mysql|mariadb):\/\//.test(text)) return parseMysql(text);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new StoreError('URL_INVALID', `unsupported database URL scheme in ${redact(text)}; use sqlite:// or mysql://`);
  }
  return { dialect: 'sqlite', filename: isAbsolute(text) ? text : join(resolve(dataDir), text) };
}

function parseMysql(text: string): DatabaseTarget {
  let u: URL;
  try {
    u = new URL(text);
  } catch (err) {
    throw new StoreError('URL_INVALID', `malformed database URL ${redact(text)}`, { cause: err });
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) {
    throw new StoreError('URL_INVALID', `database URL ${redact(text)} names no database (mysql://user:pass@host:port/db)`);
  }
  if (u.username === '') throw new StoreError('URL_INVALID', `database URL ${redact(text)} names no user`);
  const port = u.port === '' ? 3306 : Number(u.port);
  return {
    dialect: 'mysql',
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database,
  };
}

/** The URL with its password hidden, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}
