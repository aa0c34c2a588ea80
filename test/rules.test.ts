/**
 * The rule registry: every module in src/rules is registered, and every rule has its doc page
 * (`<id>.md`) and its case file (`<id>.test.ts`, which runs the doc's cases) beside it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../src/index.js';
import { RULES_DIR } from './helpers.js';

const NOT_RULES = new Set(['index']);

describe('rule registry', () => {
  it('lists exactly the rule modules in src/rules', () => {
    const modules = readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => f.slice(0, -3)).filter((n) => !NOT_RULES.has(n)).sort();
    assert.deepEqual([...RULES.map((r) => r.id)].sort(), modules);
  });

  it('has a doc page for every rule and no stray doc page', () => {
    const docs = readdirSync(RULES_DIR).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)).sort();
    assert.deepEqual(docs, [...RULES.map((r) => r.id)].sort());
  });

  it('uses kebab-case ids and describes every option', () => {
    for (const r of RULES) {
      assert.match(r.id, /^[a-z]+(-[a-z0-9]+)*$/);
      assert.ok(r.meta.description.length > 10, r.id);
      assert.ok(Object.keys(r.meta.messages).length > 0, r.id);
      for (const [name, o] of Object.entries(r.meta.options ?? {})) assert.ok(o.description, `${r.id}.${name}`);
    }
  });

  it('has a case file beside every rule that runs that rule\'s documented cases, and no stray one', () => {
    const caseFiles = readdirSync(RULES_DIR).filter((f) => f.endsWith('.test.ts')).map((f) => f.slice(0, -'.test.ts'.length)).sort();
    assert.deepEqual(caseFiles, [...RULES.map((r) => r.id)].sort());
    for (const r of RULES) {
      const text = readFileSync(join(RULES_DIR, `${r.id}.test.ts`), 'utf8');
      assert.ok(text.includes(`describeRuleCases('${r.id}')`), `${r.id}.test.ts runs its own cases`);
    }
  });
});
