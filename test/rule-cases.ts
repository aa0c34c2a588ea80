/**
 * The shared harness behind every `src/rules/<id>.test.ts`: a rule's documented cases run
 * beside it. Each anti-pattern fires the rule (on the marked lines, where marked), each best
 * practice stays silent, and the doc page has the sections a rule page must have.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { check, lintMigrations, RULES } from '../src/index.js';
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../src/config/load.js';
import type { RuleSetting } from '../src/load/design/types.js';
import { caseFolder, lastBlockLines, migrationFolder, readRuleDoc, type DocCase } from './helpers.js';

/**
 * A migration rule's case may carry a YAML block: the schemaproof.yaml its migrations are linted
 * with (rule settings, `migrations: pg_version`), as `schemaproof migrations` reads it.
 */
function lintSettings(c: DocCase, dir: string): { config?: Record<string, RuleSetting>; pgVersion?: number; assumeInTransaction?: boolean } {
  if (c.yaml === undefined) return {};
  const file = join(dir, 'schemaproof.yaml');
  writeFileSync(file, c.yaml);
  const config = loadConfig(file, new Set(RULES.map((r) => r.id)));
  assert.deepEqual(config.problems.map((p) => p.message), [], 'the case\'s schemaproof.yaml is valid');
  return { config: config.rules, pgVersion: config.migrations?.pgVersion, assumeInTransaction: config.migrations?.assumeInTransaction };
}

export function describeRuleCases(id: string): void {
  const rule = RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no registered rule "${id}"`);
  describe(`rule ${rule.id}`, () => {
    const doc = readRuleDoc(rule.id);

    it('has a doc page with Problem, Anti-pattern, Best practice, Options and Links', () => {
      for (const s of ['Problem', 'Anti-pattern', 'Best practice', 'Options', 'Links']) assert.ok(doc.sections.has(s), `${rule.id}.md lacks ## ${s}`);
      assert.ok(doc.invalid.length >= 1, 'at least one invalid case');
      assert.ok(doc.valid.length >= 1, 'at least one valid case');
      const seen = new Set<string>();
      for (const c of [...doc.invalid, ...doc.valid]) {
        const key = `${c.yaml ?? ''}\u0000${c.sql}`;
        assert.ok(!seen.has(key), `duplicate case "${c.title}"`);
        seen.add(key);
      }
      for (const [name] of Object.entries(rule.meta.options ?? {})) assert.ok(doc.sections.get('Options')!.includes(name), `option ${name} documented`);
    });

    if (rule.meta.category === 'migration') {
      for (const c of doc.invalid) {
        it(`fires on anti-pattern: ${c.title}`, async () => {
          const { dir, last } = migrationFolder(c);
          const r = await lintMigrations(RULES, { paths: [join(dir, 'migrations')], cwd: dir, ...lintSettings(c, dir) });
          assert.ok(r.ok);
          const mine = r.findings.filter((f) => f.rule === rule.id);
          assert.ok(mine.length > 0, `expected ${rule.id} to fire; got ${JSON.stringify(r.findings.map((f) => `${f.rule}@${f.file}:${f.line}`))}`);
          const lines = lastBlockLines(c);
          if (lines.length) assert.deepEqual([...new Set(mine.filter((f) => f.file.endsWith(last)).map((f) => f.line))].sort((a, b) => a - b), lines);
        });
      }
      for (const c of doc.valid) {
        it(`stays silent on best practice: ${c.title}`, async () => {
          const { dir } = migrationFolder(c);
          const r = await lintMigrations(RULES, { paths: [join(dir, 'migrations')], cwd: dir, ...lintSettings(c, dir) });
          assert.ok(r.ok);
          assert.deepEqual(r.findings.filter((f) => f.rule === rule.id).map((f) => `${f.file}:${f.line} ${f.message}`), []);
        });
      }
      return;
    }

    for (const c of doc.invalid) {
      it(`fires on anti-pattern: ${c.title}`, async () => {
        const opts = caseFolder(c);
        const r = await check({ ...opts, cwd: opts.dir });
        assert.ok(r.ok, r.ok ? '' : r.message);
        const mine = r.findings.filter((f) => f.rule === rule.id);
        assert.ok(mine.length > 0, `expected ${rule.id} to fire; got ${JSON.stringify(r.findings.map((f) => `${f.rule}@${f.file}:${f.line}`))}`);
        for (const f of mine) {
          assert.ok(f.line >= 1 && f.column >= 1, 'finding has a location');
          assert.ok(f.object.length > 0, 'finding names its object');
        }
        if (c.expectedSqlLines.length) {
          const lines = mine.filter((f) => f.file.endsWith('.sql')).map((f) => f.line).sort((a, b) => a - b);
          assert.deepEqual([...new Set(lines)], c.expectedSqlLines, 'SQL lines of the findings');
        }
        if (c.expectedYamlLines.length) {
          const lines = mine.filter((f) => f.file.endsWith('.yaml')).map((f) => f.line).sort((a, b) => a - b);
          assert.deepEqual([...new Set(lines)], c.expectedYamlLines, 'YAML lines of the findings');
        }
      });
    }

    for (const c of doc.valid) {
      it(`stays silent on best practice: ${c.title}`, async () => {
        const opts = caseFolder(c);
        const r = await check({ ...opts, cwd: opts.dir });
        assert.ok(r.ok, r.ok ? '' : r.message);
        const mine = r.findings.filter((f) => f.rule === rule.id);
        assert.deepEqual(mine.map((f) => `${f.file}:${f.line} ${f.message}`), []);
      });
    }
  });
}
