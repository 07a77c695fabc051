// Database URLs: SQLite by default and by path or sqlite:// URL, MySQL/MariaDB by mysql:// URL,
// everything else refused with URL_INVALID before anything is opened.

import assert from 'node:assert/strict';
import { parseDatabaseUrl, redact } from '../../src/store/database-url';
import { isStoreError } from '../../src/store/store-errors';

describe('database URL', () => {
  it('defaults to tdmgate.db in the data directory', () => {
    assert.deepEqual(parseDatabaseUrl(undefined, '/var/lib/tdmgate'), { dialect: 'sqlite', filename: '/var/lib/tdmgate/tdmgate.db' });
    assert.deepEqual(parseDatabaseUrl('  ', '/d'), { dialect: 'sqlite', filename: '/d/tdmgate.db' });
  });

  it('takes sqlite:///abs/path, a plain path, and relative paths under the data directory', () => {
    assert.deepEqual(parseDatabaseUrl('sqlite:///srv/cdr.db', '/d'), { dialect: 'sqlite', filename: '/srv/cdr.db' });
    assert.deepEqual(parseDatabaseUrl('/srv/x.db', '/d'), { dialect: 'sqlite', filename: '/srv/x.db' });
    assert.deepEqual(parseDatabaseUrl('x.db', '/d'), { dialect: 'sqlite', filename: '/d/x.db' });
    assert.deepEqual(parseDatabaseUrl('sqlite:x.db', '/d'), { dialect: 'sqlite', filename: '/d/x.db' });
  });

  it('parses mysql:// and mariadb:// with encoded passwords and a default port', () => {
    assert.deepEqual(parseDatabaseUrl('mysql://cdr:p%40ss@127.0.0.1:3307/tdm', '/d'), {
      dialect: 'mysql', host: '127.0.0.1', port: 3307, user: 'cdr', password: 'p@ss', database: 'tdm',
    });
    const m = parseDatabaseUrl('mariadb://u@db.example/x', '/d');
    assert.equal(m.dialect === 'mysql' && m.port, 3306);
  });

  it('refuses URLs without a database or user, and unknown schemes', () => {
    for (const bad of ['mysql://u:p@h:1/', 'mysql://h/db', 'postgres://u:p@h/db', 'sqlite://']) {
      assert.throws(() => parseDatabaseUrl(bad, '/d'), (err) => isStoreError(err, 'URL_INVALID'), bad);
    }
  });

  it('never prints the password', () => {
    assert.equal(redact('mysql://u:secret@h:1/db'), 'mysql://u:***@h:1/db');
    assert.throws(() => parseDatabaseUrl('postgres://u:secret@h/db', '/d'), (err: Error) => !err.message.includes('secret'));
  });
});
