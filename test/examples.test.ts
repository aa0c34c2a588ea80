/** The bundled examples are sound designs: no errors, no warnings, nothing at all. */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { check } from '../src/index.js';
import { ROOT } from './helpers.js';

describe('bundled examples', () => {
  const dirs = readdirSync(join(ROOT, 'examples'));
  it('include the regulatory case-assignment design and an add-column design', () => {
    assert.ok(dirs.includes('case-assignment'));
    assert.ok(dirs.includes('add-tracking-number'));
  });
  for (const d of dirs) {
    it(`${d} passes check with no findings`, async () => {
      const r = await check({ target: join(ROOT, 'examples', d), cwd: ROOT });
      assert.ok(r.ok);
      assert.deepEqual(r.findings.map((f) => `${f.rule} ${f.file}:${f.line} ${f.message}`), []);
      assert.ok(r.catalog.tables.size > 0);
      assert.equal(r.catalog.problems.length, 0);
    });
  }
  it('the regulated example exercises the design sections a regulated, high-risk design needs', async () => {
    const r = await check({ target: join(ROOT, 'examples/case-assignment'), cwd: ROOT });
    assert.ok(r.ok);
    const d = r.design!.design!;
    assert.equal(d.kind, 'regulated');
    assert.equal(d.risk, 'high');
    assert.ok((d.invariants ?? []).length >= 5);
    assert.ok((d.access_patterns ?? []).length >= 5);
    assert.equal(r.catalog.policies.length, 4);
  });
});
