/** The CLI as a user runs it: exit codes, formats (golden files), usage errors. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { main } from '../src/cli/main.js';
import { ROOT, writeTree } from './helpers.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { write: (s: string) => { out += s; } }, { write: (s: string) => { err += s; } }, false);
  return { code, out, err };
}

/** Compares with test/golden/NAME; UPDATE_GOLDEN=1 rewrites the file. */
function golden(name: string, actual: string): void {
  const file = join(ROOT, 'test/golden', name);
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `golden file ${name} differs (UPDATE_GOLDEN=1 to accept)`);
}

describe('schemaproof check (CLI)', () => {
  before(() => process.chdir(ROOT));

  it('exits 0 on the bundled examples', async () => {
    for (const dir of ['examples/case-assignment', 'examples/add-tracking-number']) {
      const r = await run(['check', dir]);
      assert.equal(r.code, 0, r.out);
      assert.equal(r.out, 'No findings.\n');
    }
  });

  it('prints text with source frames, and matches the golden file', async () => {
    const r = await run(['check', 'test/fixtures/flawed']);
    assert.equal(r.code, 1);
    assert.match(r.out, /\n {2}\d+ \| /);
    golden('flawed.txt', r.out);
  });

  it('prints the documented JSON, and matches the golden file', async () => {
    const r = await run(['check', 'test/fixtures/flawed', '--format', 'json']);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.out);
    assert.equal(report.version, 1);
    for (const f of report.findings) {
      assert.deepEqual(Object.keys(f).filter((k) => k !== 'help'), ['rule', 'severity', 'message', 'file', 'line', 'column', 'object']);
    }
    assert.deepEqual(Object.keys(report.summary), ['errors', 'warnings', 'infos']);
    assert.equal(report.summary.errors + report.summary.warnings + report.summary.infos, report.findings.length);
    golden('flawed.json', r.out);
  });

  it('prints SARIF 2.1.0 with a rule for every result, and matches the golden file', async () => {
    const r = await run(['check', 'test/fixtures/flawed', '--format', 'sarif']);
    const sarif = JSON.parse(r.out);
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    const ids = run0.tool.driver.rules.map((x: { id: string }) => x.id);
    for (const res of run0.results) {
      assert.equal(ids[res.ruleIndex], res.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(res.level));
      assert.ok(res.locations[0].physicalLocation.region.startLine >= 1);
      assert.ok(!res.locations[0].physicalLocation.artifactLocation.uri.startsWith('/'));
    }
    golden('flawed.sarif', r.out.replace(/"version": "\d+\.\d+\.\d+"/, '"version": "X"'));
  });

  it('fails at the chosen severity', async () => {
    const dir = writeTree({ 's.sql': 'CREATE TABLE t (id bigint PRIMARY KEY, doc json);\n' });
    assert.equal((await run(['check', '--schema', join(dir, 's.sql')])).code, 0);
    assert.equal((await run(['check', '--schema', join(dir, 's.sql'), '--fail-on', 'warning'])).code, 1);
  });

  it('exits 2 with a clear message on bad usage and unreadable input', async () => {
    const cases: [string[], RegExp][] = [
      [['check', '--format', 'xml', 'examples/case-assignment'], /unknown --format "xml"/],
      [['check', '--fail-on', 'fatal'], /unknown --fail-on/],
      [['check', 'no/such/dir'], /no such file or folder: no\/such\/dir/],
      [['check', 'test'], /no design.yaml/],
      [['check', '--schema', 'missing.sql'], /schema file not found: missing.sql/],
      [['check', '--bogus'], /Unknown option '--bogus'/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [[], /Usage:/],
    ];
    for (const [args, re] of cases) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err + r.out, re, args.join(' '));
    }
  });

  it('lists unmodelled statements and skipped blocks under --verbose', async () => {
    const dir = writeTree({ 's.sql': '\\set ON_ERROR_STOP on\nCREATE TABLE t (id bigint PRIMARY KEY);\nCREATE AGGREGATE a (int) (sfunc = int4pl, stype = int);\n' });
    const r = await run(['check', '--schema', join(dir, 's.sql'), '--verbose']);
    assert.match(r.err, /not modelled: .*s\.sql:3:1 DefineStmt/);
    assert.match(r.err, /skipped psql-meta-command: .*s\.sql:1:1/);
  });

  it('prints the rules index', async () => {
    const r = await run(['rules']);
    assert.equal(r.code, 0);
    assert.match(r.out, /\| \[`require-primary-key`\]\(src\/rules\/require-primary-key\.md\) \| error \|/);
  });

  it('runs as a binary', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/schemaproof.js'), 'check', 'test/fixtures/flawed', '--format', 'json'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.ok(JSON.parse(r.stdout).findings.length > 10);
  });
});

describe('README and docs', () => {
  it('docs/rules.md carries the rules index generated from rule metadata', async () => {
    const { renderRulesIndex, RULES } = await import('../src/index.js');
    const page = readFileSync(join(ROOT, 'docs/rules.md'), 'utf8');
    const start = page.indexOf('<!-- rules:start -->');
    const b = page.indexOf('<!-- rules:end -->');
    assert.ok(start !== -1 && b > start, 'docs/rules.md has the rules index markers');
    const a = start + '<!-- rules:start -->'.length;
    // Rule pages are linked from docs/, one folder below the root the index is written for.
    const index = renderRulesIndex(RULES).replaceAll('](src/rules/', '](../src/rules/');
    assert.equal(page.slice(a, b), `\n${index}`, 'run `npm run docs` to regenerate');
  });

  it('names the two commands, and the first one works on the bundled example', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    assert.match(readme, /npm ci && npm run example/);
    assert.match(readme, /npm test/);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.match(pkg.scripts.example, /check examples\/case-assignment/);
  });
});
