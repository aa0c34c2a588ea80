/**
 * Property tests over the loaders: whatever the bytes, loading never throws or hangs, and
 * every problem carries a location inside the input.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { check, loadDesignText, loadSqlText } from '../src/index.js';
import { main } from '../src/cli/main.js';
import { ROOT, writeTree } from './helpers.js';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

const SQL_PIECES = [
  'CREATE TABLE t (id int PRIMARY KEY);', "SELECT 'a;b';", 'SELECT $$ x; y $$;', '/* c */', '-- c\n', ';', '(', ')',
  "'", '"', '$$', 'CREATE INDEX ON t (id);', 'ALTER TABLE t ADD COLUMN x json;', '\\connect x\n', 'COPY t FROM stdin;\n1\n\\.\n',
  'DROP TABLE t;', 'é', '\n', ' ', 'CREATE POLICY p ON t USING (true);', 'ALTER TABLE t ENABLE ROW LEVEL SECURITY;',
];

function inside(text: string, loc: { line: number; column: number }): boolean {
  const lines = text.split('\n');
  return loc.line >= 1 && loc.line <= lines.length + 1 && loc.column >= 1;
}

describe('loaders under random input', () => {
  it('SQL: random arrangements of statement fragments', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.constantFrom(...SQL_PIECES), { maxLength: 40 }), async (pieces) => {
      const text = pieces.join('');
      const r = await loadSqlText('f.sql', text);
      for (const p of r.problems) assert.ok(inside(text, p.loc), JSON.stringify({ text, p }));
      for (const s of r.statements) assert.ok(inside(text, s.loc));
    }), { numRuns: 300 });
  });

  it('SQL: random unicode strings and truncations of a real schema', async () => {
    const real = 'CREATE TABLE a (id bigint PRIMARY KEY, note text DEFAULT \'x;y\');\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\nCREATE INDEX ia ON a (note);\n';
    await fc.assert(fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.nat(real.length).map((n) => real.slice(0, n))), async (text) => {
      const r = await loadSqlText('f.sql', text);
      for (const p of r.problems) assert.ok(inside(text, p.loc));
    }), { numRuns: 300 });
  });

  it('YAML: random text, truncations, deep nesting and wrong types never throw', () => {
    const base = 'design: X\nkind: new-table\nentities:\n  orders: { grain: one order, pii: [email] }\ninvariants:\n  - { id: INV-001, rule: r, enforcement: constraint }\n';
    const arb = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.nat(base.length).map((n) => base.slice(0, n)),
      fc.nat(300).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
      fc.nat(200).map((n) => `${'a:\n'.split('').join('')}${Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n')}`),
      fc.jsonValue().map((v) => JSON.stringify({ design: 'X', kind: 'new-table', entities: v, invariants: v, risks: v })),
    );
    fc.assert(fc.property(arb, (text) => {
      const d = loadDesignText('d.yaml', text);
      for (const p of d.problems) assert.ok(p.loc.line >= 1 && p.loc.column >= 1);
    }), { numRuns: 400 });
  });

  it('a whole check on random design values reports findings, never crashes', async () => {
    const dir = writeTree({ 'schema.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, status text CHECK (status IN (\'a\')));\n' });
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 3 }), async (a, b) => {
      const design = { design: 'X', kind: 'module-redesign', schema: 'schema.sql', entities: { orders: a }, invariants: [a, b], access_patterns: b, risks: [b], migration: a, security: b };
      writeFileSync(`${dir}/design.json`, JSON.stringify(design));
      const r = await check({ target: `${dir}/design.json`, cwd: dir });
      assert.ok(r.ok);
    }), { numRuns: 150 });
  });

  it('loads a 10 MB schema and a 10 MB design without trouble', async () => {
    const table = (i: number) => `CREATE TABLE t${i} (id bigint PRIMARY KEY, v text, created_at timestamptz NOT NULL DEFAULT now());\n`;
    let sql = '';
    for (let i = 0; sql.length < 10 * 1024 * 1024; i++) sql += table(i);
    const r = await loadSqlText('big.sql', sql);
    assert.equal(r.problems.length, 0);
    assert.ok(r.statements.length > 90000);
    const entities = Object.fromEntries(Array.from({ length: 120000 }, (_, i) => [`t${i}`, { grain: `row ${i}` }]));
    const d = loadDesignText('big.yaml', JSON.stringify({ design: 'big', kind: 'new-table', entities }));
    assert.equal(d.problems.length, 0);
    assert.equal(Object.keys(d.design!.entities!).length, 120000);
  });
});

/**
 * Structured fuzzing: a wrong type at every path of the example design, through the YAML and
 * the JSON loader, and random CLI flag combinations through `main()`. Each run must end (per-run
 * timeout) with an exit code of 0, 1 or 2 and no stack trace; failures are collected so that the
 * assertion message counts them all.
 */
const EXAMPLE = join(ROOT, 'examples/case-assignment');
const RUN_TIMEOUT_MS = 15_000;
const STACK = /\n\s+at .+[:(]\d+:\d+\)?/;

function deep(n: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = [v];
  return v;
}

const WRONG_VALUES: readonly unknown[] = [5, 'x', [1], { a: 1 }, null, true, 'h'.repeat(100_000), deep(150), -1.5, [], {}, [{ a: [null] }]];

/** Every JSON pointer of a value tree, the root excepted. */
function pointers(v: unknown, path = ''): string[] {
  if (!v || typeof v !== 'object') return [];
  return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => {
    const p = `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    return [p, ...pointers(x, p)];
  });
}

function replaced(root: unknown, pointer: string, value: unknown): unknown {
  const copy = structuredClone(root) as Record<string, unknown>;
  const segs = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let at: Record<string, unknown> = copy;
  for (const s of segs.slice(0, -1)) at = at[s] as Record<string, unknown>;
  at[segs[segs.length - 1]!] = value;
  return copy;
}

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms (hang)`)), ms); });
  try { return await Promise.race([p, timeout]); } finally { clearTimeout(timer); }
}

async function cli(args: string[]): Promise<{ code: number; text: string }> {
  let text = '';
  const sink = { write: (s: string) => { text += s; return true; } };
  const code = await main(args, sink, sink, false);
  return { code, text };
}

describe('structured fuzzing', () => {
  const design = parseYaml(readFileSync(join(EXAMPLE, 'design.yaml'), 'utf8')) as unknown;
  const paths = pointers(design);
  const dir = writeTree({ 'schema.sql': readFileSync(join(EXAMPLE, 'schema.sql'), 'utf8') });
  const failures: string[] = [];
  let runs = 0;
  const attempt = async (what: string, body: () => Promise<void>): Promise<void> => {
    runs++;
    try { await within(RUN_TIMEOUT_MS, body()); } catch (e) { failures.push(`${what}: ${String(e)} ${(e as Error).stack?.split('\n').find((l) => l.includes('/src/')) ?? ''}`.slice(0, 400)); }
  };

  const checkWith = async (loader: 'design.yaml' | 'design.json', path: string, value: unknown): Promise<void> => {
    const mutated = replaced(design, path, value);
    await attempt(`${loader} ${path} = ${JSON.stringify(value)?.slice(0, 40)}`, async () => {
      const file = join(dir, loader);
      writeFileSync(file, loader.endsWith('.json') ? JSON.stringify(mutated) : stringifyYaml(mutated, { aliasDuplicateObjects: false }));
      const r = await check({ target: file, cwd: dir });
      // Bad values are findings; an InputError (exit 2) only when there is nothing to check.
      if (!r.ok) throw new Error(`input error: ${r.message}`);
    });
  };

  it('a wrong type at every path of the example design, YAML and JSON loaders in turn', async () => {
    assert.ok(paths.length > 500, `only ${paths.length} paths`);
    for (const [i, path] of paths.entries()) {
      await checkWith(i % 2 ? 'design.json' : 'design.yaml', path, WRONG_VALUES[i % WRONG_VALUES.length]);
    }
    assert.deepEqual(failures, [], `${failures.length} of ${runs} runs failed`);
  });

  it('random wrong values at random paths, both loaders', async () => {
    const before = failures.length;
    await fc.assert(fc.asyncProperty(fc.constantFrom(...paths), fc.constantFrom(...WRONG_VALUES), fc.constantFrom('design.yaml', 'design.json' as const),
      async (path, value, loader) => { await checkWith(loader, path, value); }), { numRuns: 100 });
    assert.deepEqual(failures.slice(before), [], `${failures.length - before} of 100 runs failed`);
  });

  it('random CLI flag combinations end with 0, 1 or 2 and no stack trace', async () => {
    const tree = writeTree({
      'design/design.yaml': readFileSync(join(EXAMPLE, 'design.yaml'), 'utf8'),
      'design/schema.sql': readFileSync(join(EXAMPLE, 'schema.sql'), 'utf8'),
      'bad/design.yaml': 'design: "unclosed\nkind: new-table\n',
      'migs/001.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n',
      'migs/002.sql': 'ALTER TABLE a ADD COLUMN b text NOT NULL DEFAULT now()::text;\n',
      'empty/.keep': '',
      'nul.sql': 'CREATE TABLE a (id int);\0CREATE TABLE b (id int);\n',
      'conf/good.yaml': 'rules:\n  unindexed-foreign-key: warning\n',
      'conf/bad.yaml': 'rules: [1, 2\n',
      'conf/wrong.yaml': 'rules: 5\nconventions: [1]\nmigrations: {pg_version: x}\n',
    });
    const at = (p: string): string => join(tree, p);
    const targets = fc.constantFrom(at('design'), at('bad'), at('design/design.yaml'), at('missing'), at('empty'), '/dev/null', at('migs'));
    const sqlFiles = fc.constantFrom(at('design/schema.sql'), at('nul.sql'), at('migs'), '/dev/null', at('missing.sql'), at('migs/001.sql'));
    const option = fc.oneof(
      fc.tuple(fc.constant('--format'), fc.constantFrom('text', 'json', 'sarif', 'html', '')),
      fc.tuple(fc.constant('--fail-on'), fc.constantFrom('error', 'warning', 'info', 'never')),
      fc.tuple(fc.constant('--schema'), sqlFiles),
      fc.tuple(fc.constant('--migrations'), fc.constantFrom(at('migs'), at('empty'), at('nul.sql'), at('missing'))),
      fc.tuple(fc.constant('--migrations-format'), fc.constantFrom('auto', 'flyway', 'dbmate', 'nope')),
      fc.tuple(fc.constant('--config'), fc.constantFrom(at('conf/good.yaml'), at('conf/bad.yaml'), at('conf/wrong.yaml'), at('conf'), at('conf/none.yaml'))),
      fc.constantFrom(['--verbose'], ['--no-color'], ['--bogus'], ['--scale', 'x'], [at('design')], [at('migs')]),
    );
    const command = fc.oneof(
      fc.record({ cmd: fc.constant('check'), opts: fc.array(option, { maxLength: 4 }), target: fc.option(targets) }),
      fc.record({ cmd: fc.constant('migrations'), opts: fc.array(fc.oneof(option, fc.constant(['--pg-version', '12']), fc.constant(['--design', at('design/design.yaml')])), { maxLength: 3 }), target: fc.option(fc.constantFrom(at('migs'), at('empty'), at('nul.sql'), at('missing'))) }),
      fc.record({ cmd: fc.constant('render'), opts: fc.array(fc.oneof(fc.constant(['--out', at('conf')]), fc.constant(['--out', at('no/such/dir/x.md')]), fc.constant(['--format', 'html'])), { maxLength: 2 }), target: fc.option(fc.constantFrom(at('design'), at('bad'))) }),
    );
    const before = failures.length;
    await fc.assert(fc.asyncProperty(command, async ({ cmd, opts, target }) => {
      const args = [cmd, ...(target ? [target] : []), ...opts.flat()];
      await attempt(args.join(' '), async () => {
        const r = await cli(args);
        if (![0, 1, 2].includes(r.code)) throw new Error(`exit ${r.code}: ${r.text.slice(0, 300)}`);
        if (STACK.test(r.text)) throw new Error(`stack trace printed: ${r.text.slice(0, 300)}`);
      });
    }), { numRuns: 1150 });
    assert.deepEqual(failures.slice(before), [], `${failures.length - before} of 1150 CLI runs failed`);
    assert.ok(runs >= 2000, `${runs} runs`);
  });
});
