/** render (Markdown, HTML), the schema reference and init, as a user runs them. */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { buildDesignDocument, buildSchemaReference, check, prove, renderHtml, renderMarkdown } from '../src/index.js';
import { main } from '../src/cli/main.js';
import { ROOT, tempDir, writeTree } from './helpers.js';

function golden(name: string, actual: string): void {
  const file = join(ROOT, 'test/golden', name);
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `golden file ${name} differs (UPDATE_GOLDEN=1 to accept)`);
}

/** The inlined Mermaid bundle is 5 MB of someone else's code: golden files keep a marker. */
export function withoutBundle(html: string): string {
  return html.replace(/<script>[\s\S]*?<\/script>\n<script>mermaid\.initialize/, '<script>/* mermaid bundle */</script>\n<script>mermaid.initialize');
}

async function checked(dir: string) {
  const r = await check({ target: join(ROOT, dir), cwd: ROOT });
  assert.ok(r.ok);
  return r;
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { write: (s: string) => { out += s; } }, { write: (s: string) => { err += s; } }, false);
  return { code, out, err };
}

describe('render', () => {
  before(() => process.chdir(ROOT));

  it('renders the regulatory example in the seed order, matching the golden Markdown', async () => {
    const md = renderMarkdown(buildDesignDocument(await checked('examples/case-assignment')));
    const order = ['0. Document control', '1. Problem statement', '3. Data authority', '6. Logical model', '7. Physical schema', '8. Invariants', '9. Workload', '11. Migration plan', '12. Security', '16. Capacity', '17. Failure modes', '21. Decision records', '22. Final review checklist'];
    let at = 0;
    for (const h of order) { const i = md.indexOf(`## ${h}`); assert.ok(i > at, `${h} in order`); at = i; }
    assert.match(md, /```mermaid\nerDiagram/);
    assert.match(md, /regulatory_case \|\|--o\{ case_assignment : "fk_case_assignment_case"/);
    assert.match(md, /stateDiagram-v2\n {2}\[\*\] --> draft/);
    assert.match(md, /flowchart TD/);
    assert.match(md, /- \[x\] every table has grain/);
    // Risks, highest score first: 2x5=10 before 3x3=9 before 2x4=8.
    assert.ok(md.indexOf('RLS policy missed') < md.indexOf('old app versions') && md.indexOf('old app versions') < md.indexOf('backfill maps'));
    golden('case-assignment.md', md);
  });

  it('renders the add-column example in the compact layout', async () => {
    const md = renderMarkdown(buildDesignDocument(await checked('examples/add-tracking-number')));
    for (const h of ['1. Summary', '2. Current behaviour', '3. Proposed schema change', '5. Compatibility', '8. Migration plan', '9. Rollback plan']) assert.ok(md.includes(`## ${h}`), h);
    assert.ok(!md.includes('## 17.'));
    golden('add-tracking-number.md', md);
  });

  it('says "not written" only for sections the kind requires', async () => {
    const md = renderMarkdown(buildDesignDocument(await checked('test/fixtures/flawed')));
    assert.match(md, /## 3\. Data authority and ownership\n\n> _Not written._ A design of this kind needs: authority\./);
    assert.ok(!md.includes('## 15. Backup'), 'recovery is not required of a new-table design and is left out');
    assert.match(md, /- \[ \] critical invariants have enforcement — 1 finding\(s\): enforcement-object-missing/);
    assert.match(md, /`enforcement-object-missing`/);
  });

  it('shows proof statuses and evidence next to the claims', async () => {
    const result = await checked('test/fixtures/refuted');
    const proof = await prove({ target: join(ROOT, 'test/fixtures/refuted'), cwd: ROOT });
    assert.ok(proof.ok);
    const md = renderMarkdown(buildDesignDocument(result, proof));
    assert.match(md, /\| Q-001 \|.*❌ refuted: the planner can use idx_orders_created_customer but chooses/);
    assert.match(md, /\| Q-002 \|.*✅ proven: the planner uses idx_orders_customer/);
    assert.match(md, /\| orders \| ❌ refuted: as shop_app with tenant A set, a SELECT sees \d+ rows of other tenants/);
    assert.match(md, /- \[ \] query catalog maps to indexes — an access pattern claim is refuted/);
    assert.match(md, /Bitmap Index Scan on idx_orders_customer/);
  });

  it('reads a saved proof with --proof and refuses a file that is not one', async () => {
    const dir = tempDir();
    const saved = join(dir, 'proof.json');
    const p = await run(['prove', 'test/fixtures/refuted', '--format', 'json', '--scale', '500']);
    writeFileSync(saved, p.out);
    const r = await run(['render', 'test/fixtures/refuted', '--proof', saved]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /❌ refuted/);
    writeFileSync(join(dir, 'bad.json'), '{"nope": 1}');
    const bad = await run(['render', 'test/fixtures/refuted', '--proof', join(dir, 'bad.json')]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /not a schemaproof proof/);
  });

  it('writes one self-contained HTML file that escapes the design text', async () => {
    const html = renderHtml(buildDesignDocument(await checked('examples/case-assignment')));
    assert.ok(!/<(script|link|img)[^>]+(src|href)=["']https?:/i.test(html), 'nothing fetched from the network');
    assert.ok(html.includes('mermaid.initialize'));
    assert.ok(html.length > 1_000_000, 'Mermaid is inlined');
    assert.match(html, /@media print/);
    assert.match(html, /<nav aria-label="Contents">/);
    const hostile = writeTree({
      'design.yaml': 'design: "<img src=x onerror=alert(1)>"\nkind: new-table\nschema: s.sql\nsummary: "</script><script>alert(2)</script>"\n',
      's.sql': 'CREATE TABLE t (id bigint PRIMARY KEY);\n',
    });
    const r = await check({ target: hostile, cwd: hostile });
    assert.ok(r.ok);
    const h = renderHtml(buildDesignDocument(r));
    assert.ok(!h.includes('<img src=x'), 'title escaped');
    assert.ok(h.includes('&lt;/script&gt;&lt;script&gt;alert(2)'), 'summary escaped');
    golden('case-assignment.html', withoutBundle(html));
  });

  it('renders a schema reference grouped by domain, with index purposes', async () => {
    const md = renderMarkdown(buildSchemaReference(await checked('examples/case-assignment')));
    for (const h of ['## 1. Conventions in force', '## 2. cases', '## 3. decisions', '## 4. integration']) assert.ok(md.includes(h), h);
    assert.match(md, /\| ix_case_assignment_actor_active \| btree \(tenant_id, actor_id, assignment_role, assigned_at DESC\) WHERE ended_at IS NULL \| Q-001 active queue of an actor \|/);
    const bare = await check({ schema: join(ROOT, 'test/fixtures/flawed/schema.sql'), cwd: ROOT });
    assert.ok(bare.ok);
    const ref = renderMarkdown(buildSchemaReference(bare));
    assert.match(ref, /## \d+\. tables related to customers/);
    assert.match(ref, /\| customer_id \| bigint \| no \|  \| FK → customers\(id\) \|/);
  });
});

describe('init', () => {
  it('scaffolds from a schema so that check lists exactly what remains to be written', async () => {
    const dir = tempDir();
    // A design reads only the files in its folder.
    copyFileSync(join(ROOT, 'examples/case-assignment/schema.sql'), join(dir, 'schema.sql'));
    const r = await run(['init', dir, '--kind', 'new-table', '--from', join(dir, 'schema.sql')]);
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.err, /outside/);
    const c = await check({ target: dir, cwd: dir });
    assert.ok(c.ok);
    const left = c.findings.map((f) => `${f.rule} ${f.object}`).sort();
    assert.deepEqual(left, [
      'entity-without-grain case_assignment', 'entity-without-grain case_decision', 'entity-without-grain case_transition',
      'entity-without-grain outbox_event', 'entity-without-grain regulatory_case', 'missing-section authority',
    ]);
    const yaml = readFileSync(join(dir, 'design.yaml'), 'utf8');
    assert.match(yaml, /enforced_by: uq_case_assignment_active/);
    assert.match(yaml, /index: ix_case_assignment_actor_active/);
    assert.match(yaml, /# authority:/);
    const away = await run(['init', tempDir(), '--kind', 'new-table', '--from', join(ROOT, 'examples/case-assignment/schema.sql')]);
    assert.equal(away.code, 0);
    assert.match(away.err, /is outside .*a design reads only files in its folder/);
  });

  it('scaffolds every kind without a schema, and never overwrites', async () => {
    for (const kind of ['add-column', 'new-table', 'lifecycle', 'module-redesign', 'regulated', 'multi-tenant']) {
      const dir = tempDir();
      assert.equal((await run(['init', dir, '--kind', kind])).code, 0);
      const c = await check({ target: dir, cwd: dir });
      assert.ok(c.ok);
      assert.deepEqual(c.findings.filter((f) => f.rule === 'design-invalid').map((f) => f.message).filter((m) => !m.includes('no physical schema')), [], kind);
      assert.ok(c.findings.some((f) => f.rule === 'missing-section'), kind);
      const again = await run(['init', dir, '--kind', kind]);
      assert.equal(again.code, 2);
      assert.match(again.err, /exists; use --force/);
    }
    assert.equal((await run(['init', tempDir(), '--kind', 'nonsense'])).code, 2);
  });
});
