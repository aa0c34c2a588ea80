/**
 * The tenant-isolation rules of check: each documented anti-pattern fires with the expected
 * message id at the expected line and column (rule-cases.ts checks the lines only), and the
 * sound tenant fixtures and the example stay silent.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { check } from '../src/index.js';
import { caseFolder, readRuleDoc, ROOT } from './helpers.js';

const RLS_RULES = ['rls-owner-without-force', 'rls-policy-bypass-branch', 'rls-policy-fails-open', 'view-bypasses-rls'];

/** Per rule, per anti-pattern title: its findings as `messageId line:column`. */
const EXPECTED: Record<string, Record<string, string[]>> = {
  'rls-owner-without-force': { case: ['ownerBypasses 5:1'] },
  'rls-policy-bypass-branch': { 'a shared-rows branch': ['bypass 6:13'], 'a constant branch in WITH CHECK': ['bypass 5:75'],
    'a WITH CHECK that ignores the tenant': ['checkIgnoresTenant 5:15'],
  },
  'rls-policy-fails-open': {
    'open while unset': ['failsOpen 5:10'],
    'open while unset or empty: coalesce to the row\'s own tenant': ['failsOpen 4:10'],
    'open while empty': ['failsOpen 5:15'],
  },
  'view-bypasses-rls': { 'a view with its owner\'s rights': ['definerView 5:1'], 'a materialized view granted to the application': ['matviewGranted 5:1'] },
};

describe('tenant-isolation rules: message ids and positions', () => {
  for (const id of RLS_RULES) {
    for (const c of readRuleDoc(id).invalid) {
      it(`${id}: ${c.title}`, async () => {
        const opts = caseFolder(c);
        const r = await check({ ...opts, cwd: opts.dir });
        assert.ok(r.ok, r.ok ? '' : r.message);
        const got = r.findings.filter((f) => f.rule === id).map((f) => `${f.messageId} ${f.line}:${f.column}`);
        assert.deepEqual(got, EXPECTED[id]![c.title]);
      });
    }
  }

  it('stays silent on the sound example and fixture, and finds each leak of test/fixtures/rls-leaks', async () => {
    for (const target of ['examples/case-assignment', 'test/fixtures/rls-sound', 'test/fixtures/rls-setting-defined']) {
      const r = await check({ target: join(ROOT, target), cwd: ROOT });
      assert.ok(r.ok);
      assert.deepEqual(r.findings.map((f) => `${f.rule} ${f.file}:${f.line}`), [], target);
    }
    const r = await check({ target: join(ROOT, 'test/fixtures/rls-leaks'), cwd: ROOT });
    assert.ok(r.ok);
    const mine = r.findings.filter((f) => RLS_RULES.includes(f.rule) || f.rule === 'rls-policy-always-true').map((f) => `${f.rule}/${f.messageId} ${f.line}`);
    assert.deepEqual(mine, [
      'rls-policy-always-true/always 33', 'rls-policy-fails-open/failsOpen 37', 'rls-policy-fails-open/failsOpen 39',
      'rls-owner-without-force/ownerBypasses 45', 'view-bypasses-rls/definerView 47', 'view-bypasses-rls/matviewGranted 48',
    ]);
  });
});
