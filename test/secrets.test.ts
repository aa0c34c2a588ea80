/** The secrets a connection URL carries or points to are removed from any text. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { redact, redactDeep, redactUrl, registerUrlSecrets } from '../src/secrets.js';
import { tempDir } from './helpers.js';

describe('secrets', () => {
  it('redacts the user-info password (raw and encoded), password and sslpassword parameters', () => {
    registerUrlSecrets('postgresql://me:p%40ss-W0rd-1@db.example/app?sslpassword=key-PW-2&password=param-PW-3');
    const text = 'failed for me with p@ss-W0rd-1 / p%40ss-W0rd-1, key-PW-2 and param-PW-3';
    assert.equal(redact(text), 'failed for me with *** / ***, *** and ***');
    assert.deepEqual(redactDeep({ a: ['x param-PW-3 y'], b: { c: 'key-PW-2' }, n: 3 }), { a: ['x *** y'], b: { c: '***' }, n: 3 });
  });

  it('redacts PGPASSWORD and the passwords of the passfile the URL names', () => {
    const dir = tempDir();
    const passfile = join(dir, 'pgpass');
    writeFileSync(passfile, '# comment\nhost:5432:*:me:file\\:PW-4\n*:*:*:*:other-PW-5\n');
    const before = process.env.PGPASSWORD;
    process.env.PGPASSWORD = 'env-PW-6';
    try {
      registerUrlSecrets(`postgresql://me@host/app?passfile=${encodeURIComponent(passfile)}`);
    } finally {
      if (before === undefined) delete process.env.PGPASSWORD; else process.env.PGPASSWORD = before;
    }
    assert.equal(redact('file:PW-4 other-PW-5 env-PW-6'), '*** *** ***');
  });

  it('redacts a key=value connection string and prints URLs without secrets', () => {
    registerUrlSecrets("host=/tmp dbname=x password='kv-PW-7'");
    assert.equal(redact('it was kv-PW-7'), 'it was ***');
    assert.equal(redactUrl('postgresql://u:pw-8@h/db?password=pw-9&sslmode=require'), 'postgresql://u:***@h/db?password=***&sslmode=require');
    assert.equal(redactUrl('not a url'), 'the database URL');
  });
});
