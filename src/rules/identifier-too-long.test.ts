/** The documented cases of identifier-too-long (see identifier-too-long.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('identifier-too-long');

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { lintMigrations, RULES } from '../index.js';
import { writeTree } from '../../test/helpers.js';

it('identifier-too-long counts bytes, not characters, in migrations (non-ASCII names)', async () => {
  // 32 x "é" is 64 bytes (over the limit) in 32 characters; 31 x "é" is 62 bytes (fits).
  const long = 'é'.repeat(32);
  const fits = 'é'.repeat(31);
  const dir = writeTree({ 'm.sql': `CREATE TABLE "${fits}" (id bigint);\nCREATE TABLE t (\n  "${long}" text\n);\nCREATE TABLE ${'a'.repeat(63)} (id bigint);\n` });
  const r = await lintMigrations(RULES.filter((x) => x.id === 'identifier-too-long'), { paths: [dir] });
  assert.ok(r.ok);
  assert.deepEqual(r.findings.map((f) => [f.line, f.column, f.object]), [[3, 3, 'é'.repeat(31)]]);
});

it('identifier-too-long finds a long name wherever it falls in the file (the scan probes every 64th byte)', async () => {
  for (const length of [63, 64, 65, 130]) {
    for (let pad = 0; pad < 140; pad += 9) {
      // Padding of identifier bytes before the name (in a comment) and a space: every offset of the name against the probes.
      const dir = writeTree({ 'm.sql': `-- ${'c'.repeat(pad)}\nSELECT 1 AS ${'a'.repeat(length)};\n` });
      const r = await lintMigrations(RULES.filter((x) => x.id === 'identifier-too-long'), { paths: [dir] });
      assert.ok(r.ok);
      assert.equal(r.findings.length, length > 63 ? 1 : 0, `length ${length}, pad ${pad}`);
    }
  }
});
