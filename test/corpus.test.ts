/** Every schema and migration history of ../shared/corpus loads with zero crashes. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { check } from '../src/index.js';
import { corpusSets } from '../bench/corpus.js';
import { SHARED } from './helpers.js';

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
});
