import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, detectMigrations } from '../src/index.js';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeTree } from './helpers.js';

describe('migration folders', () => {
  it('orders Flyway versions numerically', () => {
    const dir = writeTree({ 'V2_10__c.sql': 'SELECT 3;', 'V2_9__b.sql': 'SELECT 2;', 'V1__a.sql': 'SELECT 1;', 'notes.txt': 'x' });
    const set = detectMigrations(dir);
    assert.equal(set.format, 'flyway');
    assert.deepEqual(set.files.map((f) => f.name), ['a', 'b', 'c']);
  });

  it('follows symbolic links to migration folders and files, and skips broken ones', () => {
    const real = writeTree({ '2024-01-01_a/up.sql': 'SELECT 1;', '2024-01-01_a/down.sql': 'SELECT 0;', '2024-02-01_b/up.sql': 'SELECT 2;' });
    const linked = join(real, '..', `${real.split('/').pop()}-links`);
    mkdirSync(linked);
    symlinkSync(join(real, '2024-01-01_a'), join(linked, '2024-01-01_a'));
    symlinkSync(join(real, '2024-02-01_b'), join(linked, '2024-02-01_b'));
    symlinkSync(join(real, 'missing'), join(linked, 'broken'));
    assert.deepEqual(detectMigrations(linked).files.map((f) => f.text), detectMigrations(real).files.map((f) => f.text));
    assert.equal(detectMigrations(linked).files.length, 2);
  });

  it('reads golang-migrate up files and ignores down files', () => {
    const dir = writeTree({ '2_b.up.sql': 'SELECT 2;', '2_b.down.sql': 'x', '10_c.up.sql': 'SELECT 3;', '1_a.up.sql': 'SELECT 1;', '1_a.down.sql': 'x' });
    const set = detectMigrations(dir);
    assert.equal(set.format, 'golang-migrate');
    assert.deepEqual(set.files.map((f) => f.version), ['1', '2', '10']);
  });

  it('keeps only the migrate:up section of dbmate files, on its original lines', () => {
    const dir = writeTree({ '20240101_a.sql': '-- migrate:up\nCREATE TABLE a (id int PRIMARY KEY);\n\n-- migrate:down\nDROP TABLE a;\n' });
    const set = detectMigrations(dir);
    assert.equal(set.format, 'dbmate');
    assert.ok(!set.files[0]!.text.includes('DROP TABLE'));
    assert.equal(set.files[0]!.text.split('\n')[1], 'CREATE TABLE a (id int PRIMARY KEY);');
  });

  it('reads Prisma folders in timestamp order', () => {
    const dir = writeTree({ '20240102000000_b/migration.sql': 'SELECT 2;', '20240101000000_a/migration.sql': 'SELECT 1;', 'migration_lock.toml': 'provider = "postgresql"' });
    const set = detectMigrations(dir);
    assert.equal(set.format, 'prisma');
    assert.deepEqual(set.files.map((f) => f.name), ['a', 'b']);
  });

  it('orders plain files naturally', () => {
    const dir = writeTree({ '10_x.sql': 'SELECT 3;', '2_x.sql': 'SELECT 2;', '1_x.sql': 'SELECT 1;' });
    const set = detectMigrations(dir);
    assert.equal(set.format, 'plain');
    assert.deepEqual(set.files.map((f) => f.name), ['1_x', '2_x', '10_x']);
  });

  it('builds one catalog from a migration history, locating findings in the file that made the object', async () => {
    const dir = writeTree({
      'migrations/V1__init.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, note json);\n',
      'migrations/V2__more.sql': 'ALTER TABLE orders ADD COLUMN shipped_at timestamp;\nALTER TABLE orders ALTER COLUMN note TYPE jsonb;\n',
    });
    const r = await check({ migrations: `${dir}/migrations`, cwd: dir });
    assert.ok(r.ok);
    assert.deepEqual(r.findings.filter((f) => f.severity !== 'info' && (!f.rule.startsWith('require-') || f.rule === 'require-primary-key')).map((f) => `${f.rule} ${f.file}:${f.line}`), ['prefer-timestamptz migrations/V2__more.sql:1', 'changing-column-type migrations/V2__more.sql:2']);
  });
});
