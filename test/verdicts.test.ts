/**
 * Verdicts that claim only what the database showed (issue 13): empty tables prove nothing,
 * a failing write is not "the query runs", a materialized view is read refreshed, a
 * partitioned index is found through its partitions, and triggers stay on while filling.
 * test/fixtures/verdicts was written for these tests; a naive prover gets each claim wrong.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { type Claim, prove, type ProveResult } from '../src/index.js';
import { ROOT, writeTree } from './helpers.js';

let r: ProveResult;
const claim = (kind: string, id: string): Claim => {
  const c = r.claims.find((x) => x.kind === kind && x.id === id);
  assert.ok(c, `${kind} ${id} is in the proof`);
  return c;
};

describe('verdicts on thin data, failing writes, materialized views and partitions', () => {
  before(async () => {
    const p = await prove({ target: join(ROOT, 'test/fixtures/verdicts'), cwd: ROOT, scale: 5000 });
    assert.ok(p.ok, p.ok ? '' : p.message);
    r = p;
  });

  it('leaves an access pattern on an empty table unproven, even though its index is chosen', () => {
    const q = claim('access-pattern', 'Q-002');
    assert.equal(q.status, 'unproven', q.reason);
    assert.match(q.reason, /too little data: ghosts is empty/);
    assert.deepEqual(q.evidence.rowsRead, { ghosts: 0 });
  });

  it('leaves a drift query that finds nothing on an empty table unproven, and proves one on a filled table', () => {
    const empty = claim('drift', 'INV-002');
    assert.equal(empty.status, 'unproven', empty.reason);
    assert.match(empty.reason, /too little data: ghosts is empty/);
    const full = claim('drift', 'INV-001');
    assert.equal(full.status, 'proven', full.reason);
    assert.ok(((full.evidence.rowsRead as Record<string, number>).accounts ?? 0) >= 4500);
  });

  it('refutes a write without parameters that fails when it runs, and leaves one failing on bound values unproven', () => {
    const fixed = claim('access-pattern', 'Q-003');
    assert.equal(fixed.status, 'refuted', fixed.reason);
    assert.match(fixed.reason, /fails when it runs, with 23514/);
    assert.equal(fixed.evidence.sqlstate, '23514');
    const bound = claim('access-pattern', 'Q-004');
    assert.equal(bound.status, 'unproven', bound.reason);
    assert.match(bound.reason, /failed with 23514 on the values the prover bound/);
  });

  it('reads a materialized view created WITH NO DATA after refreshing it (and two rows prove no scan)', () => {
    const q = claim('access-pattern', 'Q-005');
    assert.equal(q.status, 'unproven', q.reason);
    assert.match(q.reason, /too little data: account_totals holds 2 rows/);
    assert.deepEqual(q.evidence.rowsRead, { account_totals: 2 });
  });

  it('finds a partitioned index and its partitions\' indexes in the plan', () => {
    const q = claim('access-pattern', 'Q-006');
    assert.doesNotMatch(q.reason, /does not exist/);
    assert.equal(q.evidence.usable, true);
    assert.equal(q.evidence.chosen, true);
    assert.deepEqual((q.evidence.partitionIndexes as string[]).sort(), ['events_2026_kind_at_idx', 'events_2027_kind_at_idx']);
    // The generator leaves partitioned tables empty for now (issue 14): so not proven.
    assert.equal(q.status, 'unproven');
  });

  it('does not refute an index the planner had no reason to scan: a value the CHECK excludes', () => {
    const q = claim('access-pattern', 'Q-010');
    assert.equal(q.status, 'unproven', q.reason);
    assert.match(q.reason, /proved the query returns nothing/);
  });

  it('keeps user triggers on while filling and proves the rule a trigger keeps', () => {
    assert.equal(claim('invariant', 'INV-001').status, 'proven');
    const audited = claim('drift', 'INV-003');
    assert.equal(audited.status, 'proven', audited.reason);
    assert.ok(((audited.evidence.rowsRead as Record<string, number>).account_audit ?? 0) >= 4500);
    assert.equal(r.data.find((d) => d.table === 'public.accounts')!.status, 'filled');
  });
});

describe('generated violations', () => {
  it('copy every column a unique expression key reads, and break a cross-column CHECK by moving one column', async () => {
    const p = await prove({ target: join(ROOT, 'test/fixtures/verdicts'), cwd: ROOT, scale: 2000 });
    assert.ok(p.ok, p.ok ? '' : p.message);
    for (const [id, code] of [['INV-004', '23505'], ['INV-005', '23514']] as const) {
      const c: Claim = p.claims.find((x) => x.kind === 'invariant' && x.id === id)!;
      assert.equal(c.status, 'proven', `${id}: ${c.reason} ${JSON.stringify(c.evidence)}`);
      assert.match(c.reason, new RegExp(`rejected with ${code}`));
    }
  });
});

describe('parameters bound by their role in the query', () => {
  it('binds range ends from two quantiles, a keyset from one row, and domain and jsonb values by type', async () => {
    const p = await prove({ target: join(ROOT, 'test/fixtures/verdicts'), cwd: ROOT, scale: 2000 });
    assert.ok(p.ok, p.ok ? '' : p.message);
    const get = (id: string): Claim => p.claims.find((x) => x.kind === 'access-pattern' && x.id === id)!;
    const range = get('Q-007');
    const rp = range.evidence.params as Record<string, number>;
    assert.ok(Number(rp.from) < Number(rp.to), JSON.stringify(rp));
    assert.match(String((range.evidence.paramSources as Record<string, string>).from), /25th percentile/);
    const keyset = get('Q-008');
    assert.deepEqual(keyset.evidence.paramSources, { status: 'accounts.status', after: 'accounts.id' });
    const pay = get('Q-009');
    assert.equal(pay.status, 'proven', pay.reason);
    assert.match(String((pay.evidence.paramSources as Record<string, string>).amount), /payments\.amount \(a column of type positive_amount\)/);
    assert.match(String((pay.evidence.paramSources as Record<string, string>).meta), /a column of type jsonb/);
  });
});

describe('clean sessions keep the schema\'s search_path', () => {
  it('runs unqualified design SQL against the schema the files set, after every other setting is reset', async () => {
    const dir = writeTree({
      'design.yaml': [
        'design: Search path', 'kind: new-table', 'schema: schema.sql',
        'authority:', '  - data: notes', '    owner: this fixture', '    consumers: [the test]',
        'entities:', '  app.notes: { grain: one note }', 'invariants:',
        '  - id: INV-001', '    rule: a note has a body', '    enforcement: constraint', '    enforced_by: app.notes.body',
        "    violation: ['INSERT INTO notes (id, body) VALUES (-1, NULL)']", '    expect: "23502"', '',
      ].join('\n'),
      'schema.sql': 'CREATE SCHEMA app;\nSET search_path = app, public;\nCREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL);\n',
    });
    const p = await prove({ target: dir, cwd: dir, scale: 200 });
    assert.ok(p.ok, p.ok ? '' : p.message);
    const c: Claim = p.claims.find((x) => x.kind === 'invariant' && x.id === 'INV-001')!;
    assert.equal(c.status, 'proven', c.reason);
  });
});
