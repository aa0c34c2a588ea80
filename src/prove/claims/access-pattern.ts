/**
 * access-pattern: (1) usable — with sequential scans off and the table's other indexes
 * marked invalid inside a rolled-back transaction, the plan reads the declared index with an
 * index condition or for the ordering; (2) chosen — with default settings on the generated
 * data after ANALYZE, the plan uses it. Proven needs both.
 */
import { classifyDesignSql, explainOf, refusalText, type SafeStatement } from '../../analyses/design-sql.js';
import type { AccessPattern } from '../../load/design/types.js';
import type { Loc } from '../../types.js';
import type { Engine } from '../engine.js';
import { attempt, withRollback } from '../engine.js';
import { bindParams } from './params.js';
import type { Claim } from './types.js';

interface PlanNode { 'Node Type': string; 'Index Name'?: string; 'Index Cond'?: string; 'Plan Rows'?: number; 'Total Cost'?: number; Plans?: PlanNode[] }

function nodes(p: PlanNode, out: PlanNode[] = []): PlanNode[] {
  out.push(p);
  for (const c of p.Plans ?? []) nodes(c, out);
  return out;
}

function usesIndex(plan: PlanNode, index: string): PlanNode | undefined {
  return nodes(plan).find((n) => n['Index Name'] === index);
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

export async function proveAccessPattern(db: Engine, q: AccessPattern, loc: Loc): Promise<Claim> {
  const id = q.id ?? 'access pattern';
  const index = q.index ?? 'none';
  const base = { kind: 'access-pattern' as const, id, object: index, loc };
  const vetted = vet(q.sql ?? '');
  if (!vetted.ok) return { ...base, ...vetted.verdict };
  const { safe, ex } = vetted;
  const stmt = safe.stmt;
  const names = safe.params;

  return withRollback(db, async () => {
    let ixTable: string | undefined;
    let predicate: string | undefined;
    if (index !== 'none') {
      const ix = await db.query(
        `SELECT format('%I.%I', n.nspname, t.relname) AS tbl, pg_get_expr(i.indpred, i.indrelid) AS pred, i.indrelid::int AS rel
         FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE c.relname = $1 AND c.relkind = 'i'`, [index]);
      if (!ix.rows.length) return { ...base, status: 'refuted', reason: `index ${index} does not exist in the database`, evidence: {} };
      ixTable = String(ix.rows[0]!.tbl);
      predicate = ix.rows[0]!.pred ? String(ix.rows[0]!.pred) : undefined;
    }
    const { values, sources } = await bindParams(db, safe, ixTable, predicate);
    const params = Object.fromEntries(names.map((n, i) => [n, values[i] instanceof Date ? (values[i] as Date).toISOString() : values[i]]));

    // Chosen: default settings on the generated data.
    const chosenRun = await attempt(db, ex.json, values);
    if (!chosenRun.ok) return { ...base, status: 'refuted', reason: `the query fails: ${chosenRun.error.message}`, evidence: { params } };
    const { plan } = await explainJson(db, ex.json, values);
    const planText = await explainText(db, ex.text, values);
    const analyzed = await attempt(db, ex.analyze, values);
    let executionMs: number | undefined;
    if (analyzed.ok) {
      const raw = analyzed.result.rows[0]?.['QUERY PLAN'];
      executionMs = ((typeof raw === 'string' ? JSON.parse(raw) : raw) as { 'Execution Time'?: number }[])[0]?.['Execution Time'];
    }
    const evidence: Record<string, unknown> = {
      params, paramSources: sources, plan: planText, estimatedRows: plan['Plan Rows'], totalCost: plan['Total Cost'],
      executionMs: executionMs === undefined ? undefined : Math.round(executionMs * 1000) / 1000, latencyP95: q.latency_p95,
    };
    if (index === 'none') {
      return { ...base, status: 'proven', reason: 'declared as a deliberate scan; the query runs', evidence };
    }
    const chosenNode = usesIndex(plan, index);

    // Usable: sequential scans off and the table's other indexes invalid, in this transaction only.
    await db.exec('SET LOCAL enable_seqscan = off');
    const hidden = await attempt(db, 'UPDATE pg_catalog.pg_index SET indisvalid = false WHERE indrelid = $1::regclass AND indexrelid <> $2::regclass', [ixTable, index]);
    const forced = await explainJson(db, ex.json, values);
    const node = usesIndex(forced.plan, index);
    const sortAbove = nodes(forced.plan).some((n) => /Sort/.test(n['Node Type']));
    const hasOrder = Boolean(stmt?.SelectStmt?.sortClause?.length);
    const usable = Boolean(node && (node['Index Cond'] || (hasOrder && !sortAbove)));
    evidence.usable = usable;
    evidence.usableCheck = hidden.ok ? 'seqscan off, other indexes of the table disabled' : 'seqscan off (other indexes could not be disabled by this role)';
    evidence.chosen = Boolean(chosenNode);
    if (node?.['Index Cond']) evidence.indexCond = node['Index Cond'];
    const p95 = parseMs(q.latency_p95);
    if (p95 !== undefined && executionMs !== undefined) evidence.withinLatency = executionMs <= p95;

    if (!usable) {
      return { ...base, status: 'refuted', reason: node ? `${index} is read without an index condition and does not give the order: it cannot narrow this query` : `even with sequential scans off, the planner cannot use ${index} for this query`, evidence };
    }
    if (!chosenNode) {
      const size = await db.query('SELECT reltuples::bigint AS n FROM pg_class WHERE oid = $1::regclass', [ixTable]);
      const rows = Number(size.rows[0]?.n ?? 0);
      evidence.tableRows = rows;
      if (rows < SMALL_TABLE) {
        return { ...base, status: 'unproven', reason: `${index} is usable, but with only ${rows} generated rows the planner rightly prefers another plan; raise --scale`, evidence };
      }
      const used = nodes(plan).map((n) => n['Index Name']).filter(Boolean);
      return { ...base, status: 'refuted', reason: `the planner can use ${index} but chooses ${used.length ? used.join(', ') : plan['Node Type']} on the generated data`, evidence };
    }
    return { ...base, status: 'proven', reason: `the planner uses ${index}${node?.['Index Cond'] ? ` (Index Cond: ${node['Index Cond']})` : ' for the ordering'}`, evidence };
  });
}
