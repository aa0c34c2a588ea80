/**
 * Agreement with squawk on squawk's own rule cases (../shared/corpus/squawk/derived/cases.jsonl):
 * for every case of a rule id schemaproof implements, run `lintMigrations` with only that rule on
 * and the case's settings; an `ok` case agrees when the rule is silent, an `errors` case when the
 * rule fires on exactly the expected lines. Prints agreement per rule and the disagreements.
 * Usage: node dist/bench/squawk-conformance.js [--verbose]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintMigrations, RULES } from '../src/index.js';
import type { RuleSetting } from '../src/load/design/types.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CASES = resolve(ROOT, '../shared/corpus/squawk/derived/cases.jsonl');
const verbose = process.argv.includes('--verbose');

/** Squawk ids whose hazards schemaproof splits over several ids (documented in the rules). */
const SPLIT: Record<string, string[]> = { 'constraint-missing-not-valid': ['validate-in-same-transaction'] };
/**
 * Squawk cases schemaproof disagrees with on purpose, each explained in the rule's doc page
 * (the tests check that the page names the case, and that the case really disagrees).
 */
export const DELIBERATE: Record<string, string[]> = {
  // PostgreSQL 11 stores a constant default without rewriting: squawk's case expects a warning at 11.
  'adding-field-with-default': ['docs_example_error_on_pg_11'],
  // CREATE TYPE waits for no lock a query holds: squawk asks for timeouts before any DDL.
  'require-lock-timeout': ['err_other_ddl_operations'],
  'require-statement-timeout': ['err_other_ddl_operations'],
};
/** Squawk ids spelled differently here (same hazard). */
const ALIAS: Record<string, string> = { 'prefer-timestamp-tz': 'prefer-timestamptz' };
/**
 * Squawk rules whose cases expect findings under other ids: each case is compared once per id
 * it emits, against the lines expected under that id.
 */
const EMITS: Record<string, string[]> = { 'require-timeout-settings': ['require-lock-timeout', 'require-statement-timeout'] };

interface Case { rule: string; test: string; kind: 'ok' | 'errors' | 'fix'; sql: string; expected: { rule: string; lines: number[] }[]; settings_effective: { pg_version: string; assume_in_transaction: boolean } }

export interface Agreement {
  agree: number;
  total: number;
  misses: string[];
  unparsable: string[];
  /** Cases among the misses that are deliberate differences (DELIBERATE). */
  deliberate: string[];
}

/**
 * A case whose SQL PostgreSQL's own parser rejects cannot be compared (schemaproof reports the
 * syntax error instead of linting it): such cases are listed apart, not counted.
 */
export async function conformance(): Promise<Map<string, Agreement>> {
  const cases = readFileSync(CASES, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Case);
  const ids = new Set(RULES.filter((r) => typeof (r as { checkMigration?: unknown }).checkMigration === 'function').map((r) => r.id));
  const dir = mkdtempSync(join(tmpdir(), 'schemaproof-squawk-'));
  const out = new Map<string, Agreement>();
  try {
    for (const c of cases) {
      if (c.kind === 'fix') continue;
      for (const id of EMITS[c.rule] ?? [ALIAS[c.rule] ?? c.rule]) {
        if (!ids.has(id)) continue;
        // The squawk id the expected findings carry.
        const expectedAs = EMITS[c.rule] ? id : c.rule;
        const file = join(dir, 'case.sql');
        writeFileSync(file, c.sql);
        const config: Record<string, RuleSetting> = {};
        const ours = [id, ...(SPLIT[c.rule] ?? [])];
        for (const r of RULES) config[r.id] = ours.includes(r.id) ? 'warning' : 'off';
        const r = await lintMigrations(RULES, { paths: [file], pgVersion: Number(c.settings_effective.pg_version), assumeInTransaction: c.settings_effective.assume_in_transaction, config, cwd: dir });
        if (!r.ok) continue;
        const s = out.get(id) ?? { agree: 0, total: 0, misses: [], unparsable: [], deliberate: [] };
        out.set(id, s);
        if (r.problems.length) {
          s.unparsable.push(`${c.test}: ${r.problems[0]!.message}`);
          continue;
        }
        const got = [...new Set(r.findings.filter((f) => ours.includes(f.rule)).map((f) => f.line))].sort((a, b) => a - b);
        const want = [...new Set(c.expected.filter((e) => e.rule === expectedAs).flatMap((e) => e.lines.slice(0, 1)))].sort((a, b) => a - b);
        // An `errors` case of a rule that emits several ids may expect nothing under this one.
        const ok = c.kind === 'ok' || want.length === 0 ? got.length === 0 : JSON.stringify(got) === JSON.stringify(want);
        s.total++;
        if (ok) s.agree++;
        else if (DELIBERATE[id]?.includes(c.test)) s.deliberate.push(c.test);
        else s.misses.push(`${c.test} (${c.kind}${EMITS[c.rule] ? ` of ${c.rule}` : ''}): expected lines ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const res = await conformance();
  let agree = 0;
  let total = 0;
  for (const [rule, s] of [...res].sort()) {
    agree += s.agree;
    total += s.total;
    const notes = [
      ...(s.deliberate.length ? [`${s.deliberate.length} deliberate difference(s), see the rule's doc: ${((100 * s.agree) / (s.total - s.deliberate.length)).toFixed(0)}% of the rest`] : []),
      ...(s.unparsable.length ? [`+${s.unparsable.length} case(s) PostgreSQL cannot parse`] : []),
    ];
    console.log(`${rule.padEnd(46)} ${String(s.agree).padStart(3)}/${String(s.total).padEnd(3)} ${((100 * s.agree) / s.total).toFixed(0).padStart(4)}%${notes.length ? `  (${notes.join('; ')})` : ''}`);
    if (verbose) for (const m of [...s.misses, ...s.deliberate.map((d) => `deliberate: ${d}`), ...s.unparsable.map((u) => `not comparable: ${u}`)]) console.log(`    ${m}`);
  }
  console.log(`\n${res.size} rules, ${agree}/${total} cases agree (${((100 * agree) / Math.max(1, total)).toFixed(1)}%)`);
}
