/**
 * access-pattern: (1) usable — with sequential scans off and the table's other indexes
 * marked invalid inside a rolled-back transaction, the plan reads the declared index with an
 * index condition or for the ordering; (2) chosen — with default settings on the generated
 * data after ANALYZE, the plan uses it. Proven needs both, the statement running under EXPLAIN
 * ANALYZE, and enough rows: every table it reads holds rows and the index's table at least
 * MIN_PLAN_ROWS (counted, not estimated). A partitioned index counts through its partitions'.
 */
import { classifyDesignSql, explainOf, refusalText, type SafeStatement } from '../../analyses/design-sql.js';
import type { AccessPattern } from '../../load/design/types.js';
import type { Loc } from '../../types.js';
import type { Engine } from '../engine.js';
import { attempt, withRollback } from '../engine.js';
import { bindParams } from './params.js';
import { rowsRead, tooLittleData } from './rows-read.js';
import type { Claim } from './types.js';

interface PlanNode { 'Node Type': string; 'Index Name'?: string; 'Index Cond'?: string; 'Plan Rows'?: number; 'Total Cost'?: number; Plans?: PlanNode[] }

function nodes(p: PlanNode, out: PlanNode[] = []): PlanNode[] {
  out.push(p);
  for (const c of p.Plans ?? []) nodes(c, out);
  return out;
}

/** The EXPLAIN texts of the one validated statement, each checked to explain exactly it. */
interface Explains { readonly json: string; readonly text: string; readonly analyze: string }

async function explainJson(db: Engine, explain: string, params: unknown[]): Promise<{ plan: PlanNode; executionMs?: number }> {
  const r = await db.query(explain, params);
  const raw = r.rows[0]?.['QUERY PLAN'];
  const doc = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode; 'Execution Time'?: number }[];
  return { plan: doc[0]!.Plan, executionMs: doc[0]!['Execution Time'] };
}

async function explainText(db: Engine, explain: string, params: unknown[]): Promise<string[]> {
  const r = await db.query(explain, params);
  return r.rows.map((x) => String(x['QUERY PLAN'])).slice(0, 12);
}

/** Below this many rows a sequential scan is the right plan, so "not chosen" proves nothing. */
const SMALL_TABLE = 1000;

/** Below this many rows in the index's table, neither "chosen" nor "not chosen" says anything. */
export const MIN_PLAN_ROWS = 500;

function parseMs(v: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|min)$/.exec((v ?? '').trim());
  if (!m) return undefined;
  return Number(m[1]) * ({ ms: 1, s: 1000, min: 60000 } as Record<string, number>)[m[2]!]!;
}

/** The one statement and its EXPLAIN texts, or the verdict when it cannot be put to PostgreSQL. */
function vet(sql: string): { ok: true; safe: SafeStatement; ex: Explains } | { ok: false; verdict: Pick<Claim, 'status' | 'reason' | 'evidence'> } {
  const safe = classifyDesignSql(sql, 'access-pattern');
  if (!safe.ok) {
    // A query that does not parse is a false claim; one the prover refuses was never put to PostgreSQL.
    if (safe.messageId === 'syntax' || safe.messageId === 'empty') return { ok: false, verdict: { status: 'refuted', reason: `the SQL ${refusalText(safe)}`, evidence: {} } };
    return { ok: false, verdict: { status: 'unproven', reason: `not run: the SQL ${refusalText(safe)}`, evidence: { refused: safe.messageId } } };
  }
  const json = explainOf(safe, 'FORMAT JSON');
  const text = explainOf(safe, 'FORMAT TEXT');
  const analyze = explainOf(safe, 'ANALYZE, FORMAT JSON');
  if (!json || !text || !analyze) return { ok: false, verdict: { status: 'unproven', reason: 'not run: the statement cannot be explained as written', evidence: {} } };
  return { ok: true, safe, ex: { json, text, analyze } };
}

/** The declared index (plain or partitioned), its table, and the names of its partitions' indexes. */
interface DeclaredIndex { readonly table: string; readonly predicate?: string; readonly names: ReadonlySet<string>; readonly partitioned: boolean }

async function declaredIndex(db: Engine, index: string): Promise<DeclaredIndex | undefined> {
  const ix = await db.query(
    `SELECT format('%I.%I', n.nspname, t.relname) AS tbl, pg_get_expr(i.indpred, i.indrelid) AS pred, c.oid::int AS oid, c.relkind = 'I' AS partitioned
     FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE c.relname = $1 AND c.relkind IN ('i', 'I')`, [index]);
  const row = ix.rows[0];
  if (!row) return undefined;
  // A partitioned index is scanned through its partitions' indexes: plans name those.
  const parts = await db.query(
    `WITH RECURSIVE p(oid) AS (SELECT $1::oid UNION ALL SELECT h.inhrelid FROM pg_inherits h JOIN p ON h.inhparent = p.oid)
     SELECT c.relname AS name FROM p JOIN pg_class c ON c.oid = p.oid`, [row.oid]);
  return { table: String(row.tbl), predicate: row.pred ? String(row.pred) : undefined, names: new Set(parts.rows.map((r) => String(r.name))), partitioned: row.partitioned === true };
}

function usesAny(plan: PlanNode, names: ReadonlySet<string>): PlanNode | undefined {
  return nodes(plan).find((n) => n['Index Name'] !== undefined && names.has(n['Index Name']));
}

/** Rows of a table counted on the database (a partitioned table's through its partitions). */
async function countRows(db: Engine, table: string): Promise<number> {
  const r = await attempt(db, `SELECT count(*)::bigint AS n FROM (SELECT 1 FROM ${table} LIMIT 1000000) x`);
  return r.ok ? Number(r.result.rows[0]?.n ?? 0) : 0;
}

/** The statement's own run under EXPLAIN ANALYZE: a failure is the claim's verdict. */
async function analyze(db: Engine, ex: Explains, values: unknown[], bound: number): Promise<{ ok: true; executionMs?: number } | { ok: false; verdict: Pick<Claim, 'status' | 'reason'>; sqlstate?: string }> {
  const analyzed = await attempt(db, ex.analyze, values);
  if (!analyzed.ok) {
    const e = analyzed.error;
    // With parameters, the values were the prover's choice: the failure may be theirs, not the design's.
    return bound
      ? { ok: false, sqlstate: e.code, verdict: { status: 'unproven', reason: `the statement failed with ${e.code ?? 'an error'} on the values the prover bound (${e.message}): the plan was not seen running` } }
      : { ok: false, sqlstate: e.code, verdict: { status: 'refuted', reason: `the statement fails when it runs, with ${e.code ?? 'an error'}: ${e.message}` } };
  }
  const raw = analyzed.result.rows[0]?.['QUERY PLAN'];
  return { ok: true, executionMs: ((typeof raw === 'string' ? JSON.parse(raw) : raw) as { 'Execution Time'?: number }[])[0]?.['Execution Time'] };
}

/** With sequential scans off and the table's other indexes disabled: can the plan read the index usefully? */
async function usability(db: Engine, ex: Explains, values: unknown[], ix: DeclaredIndex, hasOrder: boolean): Promise<{ usable: boolean; node?: PlanNode; check: string; scans: boolean }> {
  await db.exec('SET LOCAL enable_seqscan = off');
  const hidden = await attempt(db,
    `UPDATE pg_catalog.pg_index SET indisvalid = false
     WHERE indrelid IN (WITH RECURSIVE p(oid) AS (SELECT $1::regclass::oid UNION ALL SELECT h.inhrelid FROM pg_inherits h JOIN p ON h.inhparent = p.oid) SELECT oid FROM p)
       AND (SELECT relname FROM pg_class WHERE oid = indexrelid) <> ALL ($2::text[])`,
    [ix.table, [...ix.names]]);
  const forced = await explainJson(db, ex.json, values);
  const node = usesAny(forced.plan, ix.names);
  const sortAbove = nodes(forced.plan).some((n) => /Sort/.test(n['Node Type']));
  return {
    usable: Boolean(node && (node['Index Cond'] || (hasOrder && !sortAbove))),
    node,
    // No scan at all: the planner proved the query empty (a bound value a CHECK excludes).
    scans: nodes(forced.plan).some((n) => /Scan/.test(n['Node Type'])),
    check: hidden.ok ? 'seqscan off, other indexes of the table disabled' : 'seqscan off (other indexes could not be disabled by this role)',
  };
}

export async function proveAccessPattern(db: Engine, q: AccessPattern, loc: Loc): Promise<Claim> {
  const id = q.id ?? 'access pattern';
  const index = q.index ?? 'none';
  const base = { kind: 'access-pattern' as const, id, object: index, loc };
  const vetted = vet(q.sql ?? '');
  if (!vetted.ok) return { ...base, ...vetted.verdict };
  const { safe, ex } = vetted;
  const names = safe.params;

  return withRollback(db, async () => {
    const ix = index === 'none' ? undefined : await declaredIndex(db, index);
    if (index !== 'none' && !ix) return { ...base, status: 'refuted', reason: `index ${index} does not exist in the database`, evidence: {} };
    const { values, sources } = await bindParams(db, safe, ix?.table, ix?.predicate);
    const params = Object.fromEntries(names.map((n, i) => [n, values[i] instanceof Date ? (values[i] as Date).toISOString() : values[i]]));
    const rowsOf = await rowsRead(db, safe.stmt);

    // Chosen: default settings on the generated data, after ANALYZE.
    const chosenRun = await attempt(db, ex.json, values);
    if (!chosenRun.ok) return { ...base, status: 'refuted', reason: `the query fails: ${chosenRun.error.message}`, evidence: { params, sqlstate: chosenRun.error.code } };
    const { plan } = await explainJson(db, ex.json, values);
    const planText = await explainText(db, ex.text, values);
    const evidence: Record<string, unknown> = {
      params, paramSources: sources, rowsRead: rowsOf, planOn: 'the generated rows, statistics from ANALYZE', plan: planText, estimatedRows: plan['Plan Rows'], totalCost: plan['Total Cost'], latencyP95: q.latency_p95,
    };
    const ran = await analyze(db, ex, values, names.length);
    if (!ran.ok) return { ...base, ...ran.verdict, evidence: { ...evidence, sqlstate: ran.sqlstate } };
    if (ran.executionMs !== undefined) evidence.executionMs = Math.round(ran.executionMs * 1000) / 1000;
    const p95 = parseMs(q.latency_p95);
    if (p95 !== undefined && ran.executionMs !== undefined) evidence.withinLatency = ran.executionMs <= p95;
    if (!ix) {
      const largest = Object.entries(rowsOf).sort((a, b) => b[1] - a[1])[0];
      const thin = tooLittleData(rowsOf, largest ? { name: largest[0], rows: largest[1] } : undefined);
      if (thin) return { ...base, status: 'unproven', reason: `declared as a deliberate scan; ${thin}`, evidence };
      return { ...base, status: 'proven', reason: 'declared as a deliberate scan; the query runs', evidence };
    }
    return judgePlan(db, { base, evidence, ex, values, ix, plan, rowsOf, hasOrder: Boolean(safe.stmt?.SelectStmt?.sortClause?.length) });
  });
}

interface Judged {
  base: Pick<Claim, 'kind' | 'id' | 'object' | 'loc'>;
  evidence: Record<string, unknown>;
  ex: Explains;
  values: unknown[];
  ix: DeclaredIndex;
  plan: PlanNode;
  rowsOf: Record<string, number>;
  hasOrder: boolean;
}

/** Usable with the other paths shut, chosen with them open, on enough rows to mean it. */
async function judgePlan(db: Engine, j: Judged): Promise<Claim> {
  const { base, evidence, ix } = j;
  const index = base.object;
  const chosenNode = usesAny(j.plan, ix.names);
  const u = await usability(db, j.ex, j.values, ix, j.hasOrder);
  evidence.usable = u.usable;
  evidence.usableCheck = u.check;
  evidence.chosen = Boolean(chosenNode);
  if (u.node?.['Index Cond']) evidence.indexCond = u.node['Index Cond'];
  if (ix.partitioned) evidence.partitionIndexes = [...ix.names].filter((n) => n !== index);
  if (!u.usable && !u.scans) {
    return { ...base, status: 'unproven', reason: `the planner proved the query returns nothing for the bound values (a constraint excludes them), so it scanned no index: bind values the schema allows`, evidence };
  }
  if (!u.usable) {
    return { ...base, status: 'refuted', reason: u.node ? `${index} is read without an index condition and does not give the order: it cannot narrow this query` : `even with sequential scans off, the planner cannot use ${index} for this query`, evidence };
  }
  const tableRows = await countRows(db, ix.table);
  evidence.tableRows = tableRows;
  const thin = tooLittleData(j.rowsOf, { name: ix.table, rows: tableRows }, MIN_PLAN_ROWS);
  if (thin) return { ...base, status: 'unproven', reason: `${index} is usable${chosenNode ? ' and chosen' : ''}, but ${thin}`, evidence };
  if (!chosenNode) {
    if (tableRows < SMALL_TABLE) {
      return { ...base, status: 'unproven', reason: `${index} is usable, but with only ${tableRows} generated rows the planner rightly prefers another plan; raise --scale`, evidence };
    }
    const used = nodes(j.plan).map((n) => n['Index Name']).filter(Boolean);
    return { ...base, status: 'refuted', reason: `the planner can use ${index} but chooses ${used.length ? used.join(', ') : j.plan['Node Type']} on the generated data`, evidence };
  }
  const node = u.node ?? chosenNode;
  return { ...base, status: 'proven', reason: `the planner uses ${index}${node['Index Cond'] ? ` (Index Cond: ${node['Index Cond']})` : ' for the ordering'} on ${tableRows} rows`, evidence };
}
