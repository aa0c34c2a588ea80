/**
 * `prove --database-url` never touches what it did not create (issue 12). The suite starts
 * its own PostgreSQL cluster holding a realistic target (test/safety/cluster.ts), digests
 * everything in it (test/safety/digest.ts), and spawns the real CLI on hostile designs
 * (test/fixtures/hostile/*) as four roles: a superuser, a role with CREATEDB and CREATEROLE,
 * one with CREATEDB only and one with neither. The first two must contain every attack in a
 * throwaway database and role; the last two must be refused before anything runs. After every
 * run the digest must be unchanged and nothing named schemaproof_* left. Then signals
 * (SIGINT, SIGTERM, SIGKILL and `cleanup`) and four concurrent runs.
 * SAFETY_REPORT=file appends each case's problems there as JSON lines, for whoever fixes them.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from './helpers.js';
import { HOSTILE_CASES, type HostileCase } from './safety/cases.js';
import { type CliRun, describeRun, runCli, stackLines, startCli } from './safety/cli.js';
import { leftovers } from './safety/digest.js';
import { Target } from './safety/target.js';

const FIXTURES = join(ROOT, 'test/fixtures/hostile');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let t: Target;

function proveArgs(dir: string, role: string): string[] {
  return ['prove', dir, '--database-url', t.url(role), '--format', 'json', '--scale', '10'];
}

interface ProofJson { engine: string; claims: { kind: string; id: string; status: string; reason: string; evidence?: Record<string, unknown> }[] }

function parseProof(r: CliRun): ProofJson | undefined {
  try { return JSON.parse(r.stdout) as ProofJson; } catch { return undefined; }
}

/** A role that may prove (superuser, or CREATEDB + CREATEROLE): contained, reported, no crash. */
function checkContained(role: string, r: CliRun, hc: HostileCase): string[] {
  const p: string[] = [];
  const at = `${hc.name} as ${role}`;
  if (r.code !== 0 && r.code !== 1) p.push(`${at}: exit ${r.code ?? r.signal}, expected 0 or 1\n${describeRun(r)}`);
  if (stackLines(r.stderr).length) p.push(`${at}: a stack trace on stderr:\n${r.stderr.slice(0, 1200)}`);
  const proof = parseProof(r);
  if (!proof) p.push(`${at}: stdout is not a JSON proof\n${describeRun(r)}`);
  else if (hc.clusterWide && !proof.claims.some((c) => c.kind === 'schema-applies' && (Array.isArray(c.evidence?.skipped) ? c.evidence.skipped.length : Number(c.evidence?.skipped ?? 0)) > 0 && /skipped/.test(c.reason))) {
    p.push(`${at}: the cluster-wide statement is not reported as skipped: ${JSON.stringify(proof.claims.filter((c) => c.kind === 'schema-applies').map((c) => c.reason))}`);
  }
  const warnings = r.stderr.split('\n').filter((l) => /superuser/i.test(l));
  if (role === 'super_admin' && warnings.length !== 1) p.push(`${at}: expected one warning line about the superuser URL on stderr, got: ${JSON.stringify(r.stderr.slice(0, 600))}`);
  if (role !== 'super_admin' && warnings.length) p.push(`${at}: a superuser warning for a role that is not one: ${warnings[0]}`);
  for (const s of hc.neverPrinted ?? []) if (r.stdout.includes(s) || r.stderr.includes(s)) p.push(`${at}: printed what the attack read from the server (${s})`);
  return p;
}

/** A role that may not prove: exit 2, one line naming the ways forward, nothing run. */
function checkRefused(role: string, r: CliRun, hc: HostileCase, logged: { user: string; text: string }[]): string[] {
  const p: string[] = [];
  const at = `${hc.name} as ${role}`;
  if (r.code !== 2) p.push(`${at}: exit ${r.code ?? r.signal}, expected 2 (refused)`);
  const lines = r.stderr.trim().split('\n');
  const line = lines[0] ?? '';
  if (lines.length !== 1 || !/CREATEDB/.test(line) || !/CREATEROLE/.test(line) || !/--local-server/.test(line) || !/embedded|PGlite|default engine/i.test(line)) {
    p.push(`${at}: expected one stderr line naming a role with CREATEDB and CREATEROLE, --local-server and the embedded engine, got ${JSON.stringify(r.stderr.slice(0, 600))}`);
  }
  if (r.stdout.trim()) p.push(`${at}: printed a result although it must run nothing`);
  const ran = logged.filter((e) => e.user === role).flatMap((e) => {
    const m = /^LOG: (?:statement|execute [^:]*): ([\s\S]*)$/.exec(e.text);
    return m && !/^\s*(SELECT|SHOW)\b/i.test(m[1]!) ? [m[1]!.slice(0, 160)] : [];
  });
  if (ran.length) p.push(`${at}: ran ${ran.length} statement(s), the first: ${ran.slice(0, 3).join(' | ')}`);
  return p;
}

/** Schema or design SQL must run only in the throwaway database: never in the ones it found. */
function ranOutside(label: string, logged: { user: string; db: string; text: string }[]): string[] {
  return logged.filter((e) => e.user !== 'postgres' && !e.db.startsWith('schemaproof_') && /\bh_(items|notes|more)\b/.test(e.text))
    .map((e) => `${label}: ran in database ${e.db} as ${e.user}: ${e.text.slice(0, 200)}`);
}

/** The schema is applied by a throwaway role logged in to a throwaway database, never by the URL's role. */
function appliedAsUrlRole(label: string, logged: { user: string; db: string; text: string }[]): string[] {
  const by = logged.filter((e) => /^schemaproof_[0-9a-f]+$/.test(e.db) && /^LOG: [^:]+: CREATE TABLE h_(items|notes)\b/.test(e.text) && !/^schemaproof_[0-9a-f]+$/.test(e.user));
  return [...new Set(by.map((e) => e.user))].map((u) => `${label}: applied the schema as ${u}, not as a throwaway role`);
}

/** Runs the roles at once; `damage` lists what changed on the cluster (which cannot be told apart by role). */
async function checkedRun(hc: HostileCase, roles: readonly string[]): Promise<{ problems: string[]; damage: string[] }> {
  const dir = join(FIXTURES, hc.name);
  const label = `${hc.name} as ${roles.join(', ')}`;
  for (const f of hc.files ?? []) rmSync(f, { force: true });
  const offset = t.logOffset();
  const runs = await Promise.all(roles.map((role) => runCli(proveArgs(dir, role))));
  const logged = t.logSince(offset);
  const problems: string[] = [];
  runs.forEach((r, i) => {
    const role = roles[i]!;
    problems.push(...(role === 'creator' || role === 'plain' ? checkRefused(role, r, hc, logged) : checkContained(role, r, hc)));
  });
  problems.push(...ranOutside(label, logged), ...appliedAsUrlRole(label, logged));
  const damage: string[] = [];
  for (const f of hc.files ?? []) if (existsSync(f)) { damage.push(`${label}: wrote ${f} on the server`); rmSync(f, { force: true }); }
  damage.push(...await t.problemsAfter(label));
  return { problems, damage };
}

const ROLES = ['super_admin', 'maker', 'creator', 'plain'] as const;

/**
 * The four roles at once (two cores: one round instead of four); when the cluster changed,
 * each role again alone on a fresh cluster, so the report says which one did it.
 */
async function caseProblems(hc: HostileCase): Promise<string[]> {
  const together = await checkedRun(hc, ROLES);
  if (!together.damage.length) return together.problems;
  const alone: string[] = [];
  for (const role of ROLES) {
    const r = await checkedRun(hc, [role]);
    alone.push(...r.problems, ...r.damage);
  }
  return alone;
}

describe('prove --database-url on a hostile design never touches what it did not create', () => {
  before(async () => { t = await Target.start(); });
  after(async () => { await t?.stop(); });

  it('has a case for every hostile fixture, and at least 25 of them', () => {
    const folders = readdirSync(FIXTURES).filter((n) => !n.startsWith('_')).sort();
    assert.deepEqual(folders, HOSTILE_CASES.map((c) => c.name).sort());
    assert.ok(folders.length >= 25, `${folders.length} hostile cases`);
  });

  for (const hc of HOSTILE_CASES) {
    it(`${hc.name}: contained as super_admin and maker, refused as creator and plain`, async () => {
      const problems = await caseProblems(hc);
      if (process.env.SAFETY_REPORT) appendFileSync(process.env.SAFETY_REPORT, `${JSON.stringify({ case: hc.name, problems })}\n`);
      assert.deepEqual(problems, []);
    });
  }
});

async function waitFor(what: string, test: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Starts a slow prove as maker and waits until its throwaway database exists. */
async function slowRun(): Promise<ReturnType<typeof startCli>> {
  const run = startCli(proveArgs(join(FIXTURES, '_slow'), 'maker'));
  let exited: CliRun | undefined;
  void run.done.then((r) => { exited = r; });
  await waitFor('a schemaproof_ database', async () => {
    if (exited) throw new Error(`the run ended before its database was seen: ${describeRun(exited)}`);
    return (await leftovers(t.cluster)).some((l) => l.startsWith('database '));
  }, 60_000);
  await sleep(700); // into the schema's pg_sleep, with the throwaway role and sessions open
  return run;
}

async function ended(run: ReturnType<typeof startCli>, ms = 30_000): Promise<CliRun> {
  const timer = setTimeout(() => run.child.kill('SIGKILL'), ms);
  try { return await run.done; } finally { clearTimeout(timer); }
}

describe('prove --database-url on signals and in parallel', () => {
  before(async () => { t = await Target.start(); });
  after(async () => { await t?.stop(); });

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal}: exits ${code} and leaves nothing behind`, async () => {
      const run = await slowRun();
      run.child.kill(signal);
      const r = await ended(run);
      const leftNow = await leftovers(t.cluster);
      const problems = await t.problemsAfter(signal);
      assert.equal(r.code, code, describeRun(r));
      assert.deepEqual(stackLines(r.stderr), []);
      assert.deepEqual(leftNow, [], 'dropped before the process exited');
      assert.deepEqual(problems, []);
    });
  }

  it('SIGKILL leaves its objects; cleanup lists and drops them, and the cluster is as it was', async () => {
    const run = await slowRun();
    run.child.kill('SIGKILL');
    const r = await ended(run);
    assert.equal(r.signal, 'SIGKILL');
    const left = await leftovers(t.cluster);
    assert.ok(left.some((l) => l.startsWith('database schemaproof_')), `left after SIGKILL: ${left.join(', ')}`);
    try {
      const c = await runCli(['cleanup', '--database-url', t.url('maker')]);
      assert.equal(c.code, 0, describeRun(c));
      assert.deepEqual(stackLines(c.stderr), []);
      for (const l of left) assert.ok(c.stdout.includes(l.split(' ')[1]!), `cleanup names ${l}: ${describeRun(c)}`);
      assert.deepEqual(await leftovers(t.cluster), []);
      assert.deepEqual(await t.problemsAfter('SIGKILL then cleanup'), []);
    } finally {
      // A failed cleanup must not leave the next test a dirty cluster.
      if ((await leftovers(t.cluster)).length) await t.rebuild();
    }
  });

  it('four runs at once whose schema creates the same new role agree, and leave no role', async () => {
    const dir = join(FIXTURES, '_new-role');
    const statuses = (r: CliRun): string[] => (parseProof(r)?.claims ?? []).map((c) => `${c.kind} ${c.id}: ${c.status}`).sort();
    const solo = await runCli(proveArgs(dir, 'maker'));
    assert.ok(solo.code === 0 || solo.code === 1, describeRun(solo));
    assert.deepEqual(statuses(solo).filter((s) => s.endsWith('refuted')), [], describeRun(solo));
    assert.deepEqual(await t.problemsAfter('one run'), []);
    const runs = await Promise.all([1, 2, 3, 4].map(() => runCli(proveArgs(dir, 'maker'))));
    for (const r of runs) {
      assert.equal(r.code, solo.code, describeRun(r));
      assert.deepEqual(statuses(r), statuses(solo), describeRun(r));
    }
    assert.deepEqual(await t.cluster.sql("SELECT rolname FROM pg_roles WHERE rolname = 'app_tenant' OR rolname LIKE '%app_tenant%'"), []);
    assert.deepEqual(await t.problemsAfter('four runs at once'), []);
  });
});
