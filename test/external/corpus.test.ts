/**
 * The real-world corpus at ../shared/corpus (not part of the repository; `npm run test:external`):
 * every schema and migration history loads and lints with zero crashes, and the migration rules
 * agree with squawk on squawk's own cases.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { check, lintMigrations, RULES } from '../../src/index.js';
import { corpusSets } from '../../bench/corpus.js';
import { conformance, DELIBERATE } from '../../bench/squawk-conformance.js';
import { readRuleDoc, SHARED } from '../helpers.js';

const CORPUS = join(SHARED, 'corpus');

describe('real-world corpus', () => {
  it('is present beside the project', () => {
    assert.ok(existsSync(CORPUS), `${CORPUS} is missing`);
  });

  it('loads every set with no crash, and the catalog sees their tables', async () => {
    const sets = corpusSets(CORPUS);
    assert.ok(sets.length >= 40, `found ${sets.length} sets`);
    const byName = new Map<string, number>();
    for (const set of sets) {
      const r = await check({ schema: set.files, cwd: CORPUS });
      assert.ok(r.ok, `${set.name}: ${r.ok ? '' : r.message}`);
      for (const f of r.findings) assert.ok(f.line >= 1 && f.column >= 1 && f.file, `${set.name}: finding without location`);
      byName.set(set.name, r.catalog.tables.size);
    }
    // Spot checks against what the files are known to hold.
    const dhis = [...byName].find(([n]) => n.endsWith('dhis2_base_schema.sql'));
    assert.ok(dhis && dhis[1] > 400, 'DHIS2 base schema has over 400 tables');
    assert.ok((byName.get('langfuse-prisma') ?? 0) > 50, 'Langfuse history builds its tables');
    assert.ok((byName.get('lemmy-diesel') ?? 0) > 40, 'Lemmy history builds its tables');
  });

  it('lints every migration history of the corpus without a crash', async () => {
    for (const set of corpusSets(CORPUS).filter((s) => s.files.length > 1)) {
      const r = await lintMigrations(RULES, { paths: set.files, cwd: CORPUS });
      assert.ok(r.ok, set.name);
      for (const f of r.findings) assert.ok(f.line >= 1 && f.file, `${set.name}: ${f.rule}`);
    }
  });
});

describe('migration safety against squawk', () => {
  it('agrees with squawk on at least 95% of its cases for every rule id it shares, deliberate differences set apart and documented', async () => {
    const res = await conformance();
    assert.ok(res.size >= 20, `${res.size} shared rule ids`);
    for (const [rule, s] of res) {
      // Every case agrees except deliberate differences, which must really differ and be explained in the rule's doc.
      assert.ok(s.agree / (s.total - s.deliberate.length) >= 0.95, `${rule}: ${s.agree}/${s.total} ${s.misses.join('; ')}`);
      assert.deepEqual(s.deliberate, DELIBERATE[rule] ?? [], rule);
      for (const d of s.deliberate) assert.match(readRuleDoc(rule).text, new RegExp(d), `${rule}.md explains ${d}`);
    }
    // Cases PostgreSQL itself rejects are not comparable; there is exactly one, in ban-char-field.
    assert.deepEqual([...res].flatMap(([rule, s]) => s.unparsable.map(() => rule)), ['ban-char-field']);
    const agree = [...res.values()].reduce((a, s) => a + s.agree, 0);
    const total = [...res.values()].reduce((a, s) => a + s.total, 0);
    assert.ok(agree / total >= 0.95, `${agree}/${total}`);
  });
});
