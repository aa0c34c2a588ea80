/**
 * Bad input as users met it (issue 12): paths a design names stay in its folder, only regular
 * files are read (a FIFO never blocks), and each message names the real problem.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { check, loadDesignText } from '../src/index.js';
import { main } from '../src/cli/main.js';
import { ROOT, writeTree } from './helpers.js';

const SCHEMA = 'CREATE TABLE orders (id bigint PRIMARY KEY);\n';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { write: (s: string) => { out += s; } }, { write: (s: string) => { err += s; } }, false);
  return { code, out, err };
}

function designWith(line: string, files: Record<string, string> = {}): string {
  return writeTree({ 'design.yaml': `design: X\nkind: new-table\n${line}\n`, 'schema.sql': SCHEMA, ...files });
}

describe('paths a design names stay inside its folder', () => {
  const outside = writeTree({ 'secret.sql': 'CREATE TABLE leaked_secret (id int);\n' });

  for (const [what, value] of [['an absolute path', '/proc/self/environ'], ['.. out of the folder', `../${outside.split('/').pop()}/secret.sql`], ['a symlink out', 'link.sql']] as const) {
    it(`refuses ${what}, located, and reads nothing`, async () => {
      const dir = designWith(`schema: ${value}`);
      symlinkSync(join(outside, 'secret.sql'), join(dir, 'link.sql'));
      const r = await check({ target: dir, cwd: dir });
      assert.ok(r.ok);
      const f = r.findings.find((x) => x.rule === 'design-invalid' && x.messageId === 'outside-folder');
      assert.ok(f, JSON.stringify(r.findings.map((x) => x.messageId)));
      assert.deepEqual([f.file, f.line, f.column], ['design.yaml', 3, 9]);
      assert.equal(r.catalog.tables.size, 0);
      assert.equal(r.sources.size, 1, 'only the design was read');
    });
  }

  it('refuses migrations: out of the folder too, and keeps paths inside working', async () => {
    const out = await check({ target: designWith('migrations: ../'), cwd: ROOT });
    assert.ok(out.ok && out.findings.some((x) => x.messageId === 'outside-folder' && x.line === 3));
    const ok = await check({ target: designWith('schema: sub/../schema.sql') });
    assert.ok(ok.ok && ok.catalog.tables.has('public.orders'));
  });

  it('does not read a symlink inside the migrations folder that leads out', async () => {
    const dir = designWith('migrations: m', { 'm/001.sql': 'CREATE TABLE a (id bigint PRIMARY KEY);\n' });
    symlinkSync(join(outside, 'secret.sql'), join(dir, 'm/002.sql'));
    const r = await check({ target: dir, cwd: dir });
    assert.ok(r.ok);
    assert.ok(r.catalog.tables.has('public.a'));
    assert.equal(r.catalog.tables.has('public.leaked_secret'), false);
    const f = r.findings.find((x) => x.messageId === 'outside-folder');
    assert.deepEqual([f?.line, /m\/002\.sql/.test(f?.message ?? '')], [3, true]);
  });

  it('still lets a user type any path on the command line', async () => {
    const r = await cli(['check', '--schema', join(outside, 'secret.sql'), '--format', 'json']);
    assert.equal(r.err, '');
    assert.match(r.out, /leaked_secret/, 'the file was read and checked');
  });
});

describe('only regular files are read', () => {
  const dir = writeTree({ 'd/design.yaml': 'design: X\nkind: new-table\nschema: schema.sql\n', 'd/schema.sql': SCHEMA, 'fifo-design/.keep': '' });
  execFileSync('mkfifo', [join(dir, 'p.fifo'), join(dir, 'fifo-design/design.yaml')]);

  // In a child process with a timeout: a regression would block the test's own event loop.
  const cases: [string[], RegExp][] = [
    [['check', join(dir, 'fifo-design')], /design file .*design\.yaml is a named pipe \(FIFO\)/],
    [['check', '--schema', join(dir, 'p.fifo')], /schema file .*p\.fifo is a named pipe/],
    [['check', join(dir, 'd'), '--config', join(dir, 'p.fifo')], /config file .*p\.fifo is a named pipe/],
    [['render', join(dir, 'd'), '--proof', join(dir, 'p.fifo')], /p\.fifo: the file is a named pipe/],
    [['migrations', join(dir, 'p.fifo')], /p\.fifo is a named pipe/],
    [['migrations', '--config', join(dir, 'p.fifo'), join(dir, 'd/schema.sql')], /config file .*p\.fifo is a named pipe/],
  ];
  for (const [args, message] of cases) {
    it(`a FIFO: ${args[0]} ${args.slice(1).map((a) => a.replace(dir, '')).join(' ')} exits 2 at once`, () => {
      const r = spawnSync(process.execPath, [join(ROOT, 'bin/schemaproof.js'), ...args], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(r.signal, null, 'hung');
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
    });
  }
});

describe('messages name the real problem', () => {
  const dir = writeTree({ 'd/design.yaml': 'design: X\nkind: new-table\nschema: schema.sql\n', 'd/schema.sql': SCHEMA, 'sub/x.sql': SCHEMA, 'empty/.keep': '' });

  it('a folder or a device as --schema', async () => {
    const a = await cli(['check', '--schema', join(dir, 'sub')]);
    assert.equal(a.code, 2);
    assert.match(a.err, /sub is a directory/);
    const b = await cli(['check', '--schema', '/dev/null']);
    assert.equal(b.code, 2);
    assert.match(b.err, /\/dev\/null is a device, not a regular file/);
  });

  it('a folder as the design\'s schema:', async () => {
    const d = designWith('schema: sub', { 'sub/a.sql': SCHEMA });
    const r = await check({ target: d, cwd: d });
    assert.ok(r.ok);
    const f = r.findings.find((x) => x.rule === 'design-invalid' && x.line === 3);
    assert.ok(f);
    assert.match(f.message, /sub is a directory/);
    assert.doesNotMatch(f.message, /does not exist|design file cannot/);
  });

  it('a missing --config names the config file', async () => {
    const r = await cli(['check', join(dir, 'd'), '--config', join(dir, 'none.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /the config file .*none\.yaml does not exist/);
  });

  it('an empty migrations folder is no migration found, exit 2, in check and migrations', async () => {
    const a = await cli(['check', '--migrations', join(dir, 'empty')]);
    assert.equal(a.code, 2);
    assert.match(a.err, /no migration found in .*empty/);
    const b = await cli(['migrations', join(dir, 'empty')]);
    assert.equal(b.code, 2);
    assert.match(b.err, /no migration found in .*empty/);
    const c = await check({ target: designWith('migrations: m', { 'm/.keep': '' }) });
    assert.ok(c.ok && c.findings.some((x) => x.rule === 'design-invalid' && /no migration found/.test(x.message)));
  });

  it('--out onto a folder or into a missing one', async () => {
    const a = await cli(['render', join(dir, 'd'), '--out', join(dir, 'sub')]);
    assert.equal(a.code, 2);
    assert.match(a.err, /cannot write .*sub: it is a directory/);
    const b = await cli(['render', join(dir, 'd'), '--out', join(dir, 'no/such/x.md')]);
    assert.equal(b.code, 2);
    assert.match(b.err, /the folder .*no\/such does not exist/);
    mkdirSync(join(dir, 'plan-file-parent'));
    const c = await cli(['plan', join(dir, 'd/schema.sql'), join(dir, 'd/schema.sql'), '--out', join(dir, 'd/schema.sql')]);
    assert.equal(c.code, 2);
    assert.match(c.err, /cannot create the folder .*schema\.sql: a file is in the way/);
  });
});

describe('a NUL byte in SQL', () => {
  it('is a located finding and the statements after it are still read', async () => {
    const dir = writeTree({ 'nul.sql': 'CREATE TABLE a (id int PRIMARY KEY);\nSELECT 1;\0\0 CREATE TABLE b (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY);\n' });
    const r = await check({ schema: join(dir, 'nul.sql'), cwd: dir });
    assert.ok(r.ok);
    assert.deepEqual([...r.catalog.tables.keys()].sort(), ['public.a', 'public.b', 'public.c']);
    const nul = r.findings.filter((f) => f.messageId === 'nul-byte');
    assert.deepEqual(nul.map((f) => [f.rule, f.line, f.column]), [['sql-syntax-error', 2, 10]]);
  });

  it('is reported by the migration lint too', async () => {
    const dir = writeTree({ 'm/001.sql': 'CREATE TABLE a (id int PRIMARY KEY);\0\nCREATE TABLE b (id int PRIMARY KEY);\n' });
    const r = await cli(['migrations', join(dir, 'm'), '--format', 'json']);
    const findings = JSON.parse(r.out).findings as { rule: string; message: string; line: number; column: number }[];
    assert.deepEqual(findings.filter((f) => f.rule === 'sql-syntax-error').map((f) => [f.line, f.column, /NUL byte/.test(f.message)]), [[1, 37, true]]);
    assert.ok(findings.some((f) => f.line === 2), 'the statement after the NUL is linted');
  });
});

describe('an internal error', () => {
  it('is exit 3 and one line without a stack, the stack only with --debug, secrets removed', async () => {
    const { registerSecret } = await import('../src/secrets.js');
    registerSecret('hunter2-secret');
    const dir = writeTree({ 'd/design.yaml': 'design: X\nkind: new-table\nschema: schema.sql\n', 'd/schema.sql': SCHEMA });
    // A stream that throws on the report is a bug the command cannot turn into a finding.
    const boom = { write: (s: string) => { if (s.includes('No findings') || s.includes('[')) throw new Error('disk gone hunter2-secret\nsecond line'); return true; } };
    let err = '';
    const sink = { write: (s: string) => { err += s; return true; } };
    const code = await main(['check', '--schema', join(dir, 'd/schema.sql')], boom, sink, false);
    assert.equal(code, 3);
    assert.equal(err, 'schemaproof: internal error: disk gone *** (please report it; --debug shows the stack)\n');
    err = '';
    assert.equal(await main(['check', '--debug', '--schema', join(dir, 'd/schema.sql')], boom, sink, false), 3);
    assert.match(err, /\n\s+at .*main\.js/);
    assert.doesNotMatch(err, /hunter2/);
  });
});

describe('an unclosed YAML quote', () => {
  it('is located at the quote, not at the end of the file', () => {
    for (const [text, line, column] of [['design: "unclosed\nkind: new-table\nx: 1\n', 1, 9], ["design: X\nkind: 'abc\nrisks: []\n", 2, 7], ['design: X\nsummary: "ok"\nk: "bad\n  more\n', 3, 4]] as const) {
      const d = loadDesignText('d.yaml', text);
      const p = d.problems.find((x) => x.messageId === 'yaml-syntax');
      assert.deepEqual([p?.loc.line, p?.loc.column], [line, column], text);
      assert.match(p!.message, new RegExp(`unclosed quote: the .* at ${line}:${column} is never closed`));
    }
  });

  it('in schemaproof.yaml is not called a design file', async () => {
    const dir = writeTree({ 'design.yaml': 'design: X\nkind: new-table\nschema: schema.sql\n', 'schema.sql': SCHEMA, 'schemaproof.yaml': 'rules:\n  x: "oops\n' });
    const r = await check({ target: dir, cwd: dir });
    assert.ok(r.ok);
    const f = r.findings.find((x) => x.file === 'schemaproof.yaml');
    assert.deepEqual([f?.line, f?.column], [2, 6]);
    assert.doesNotMatch(f!.message, /design/);
  });
});

describe('SQL past the memory budget', () => {
  it('is a located finding for the file that crosses it; the files before it are checked', async () => {
    const { MAX_SQL_BYTES } = await import('../src/load/read.js');
    const line = 'CREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY);\n';
    const dir = writeTree({ 'a.sql': 'CREATE TABLE a (id bigint PRIMARY KEY);\n', 'big.sql': line.repeat(Math.ceil(MAX_SQL_BYTES / line.length)) });
    const r = await check({ schema: [join(dir, 'a.sql'), join(dir, 'big.sql')], cwd: dir });
    assert.ok(r.ok);
    assert.ok(r.catalog.tables.has('public.a'));
    const f = r.findings.filter((x) => x.messageId === 'unreadable');
    assert.deepEqual(f.map((x) => [x.rule, x.file, x.line]), [['sql-syntax-error', 'big.sql', 1]]);
    assert.match(f[0]!.message, /over the \d+ MiB one run reads/);
    const m = await cli(['migrations', join(dir, 'big.sql')]);
    assert.equal(m.code, 2);
  });
});
