/**
 * invariant: the `violation` statements run in a rolled-back transaction; all but the last
 * must succeed and the last must fail with `expect`. Without written statements, an
 * invariant enforced by a unique index or constraint, a CHECK, a foreign key, NOT NULL or an
 * exclusion constraint gets a violating statement written from the generated data.
 */
import { classifyDesignSql, refusalText, type SafeStatement } from '../../analyses/design-sql.js';
import type { Catalog } from '../../catalog/model.js';
import { asList, type Invariant } from '../../load/design/types.js';
import type { Loc } from '../../types.js';
import type { Engine } from '../engine.js';
import { attempt, quoteIdent, quoteLiteral, sqlstateMatches, withRollback } from '../engine.js';
import type { LiveTable } from '../introspect.js';
import { rowsRead } from './rows-read.js';
import type { Claim } from './types.js';

interface Target { table: LiveTable; kind: 'unique' | 'check' | 'foreign' | 'not-null' | 'exclusion'; name: string; columns: string[]; predicate?: string }

/**
 * Every column an index reads, its expressions' too (`lower(name)` reads name): a copied key
 * must carry them all, or the copy differs in the expression and nothing is violated.
 */
async function indexColumns(db: Engine, table: LiveTable, constraint: string): Promise<string[] | undefined> {
  const r = await db.query(
    `SELECT array_agg(a.attname::text ORDER BY a.attnum) AS cols FROM pg_constraint k JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = k.conindid
       JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
     WHERE k.conrelid = $1 AND k.conname = $2 AND d.refobjid = k.conrelid AND d.refobjsubid > 0`, [table.oid, constraint]);
  const v = r.rows[0]?.cols;
  return Array.isArray(v) && v.length ? v.map(String) : undefined;
}

async function findTarget(db: Engine, tables: LiveTable[], name: string): Promise<Target | undefined> {
  for (const t of tables) {
    const c = t.constraints.find((x) => x.name === name);
    if (c) {
      const kind = c.type === 'p' || c.type === 'u' ? 'unique' : c.type === 'c' ? 'check' : c.type === 'f' ? 'foreign' : 'exclusion';
      const columns = kind === 'unique' || kind === 'exclusion' ? await indexColumns(db, t, name) ?? c.columns : c.columns;
      return { table: t, kind, name, columns: [...new Set([...c.columns, ...columns])].filter(Boolean) };
    }
  }
  const ix = await db.query(
    `SELECT format('%I.%I', n.nspname, t.relname) AS tbl, i.indisunique AS uniq, pg_get_expr(i.indpred, i.indrelid) AS pred,
            (SELECT array_agg(a.attname ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum > 0 AND (a.attnum = ANY (i.indkey::int2[])
               OR EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid AND d.refobjid = i.indrelid AND d.refobjsubid = a.attnum))) AS cols
     FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE c.relname = $1`, [name]);
  const row = ix.rows[0];
  if (row?.uniq) {
    const table = tables.find((t) => t.sqlName === row.tbl);
    const cols = Array.isArray(row.cols) ? row.cols.map(String) : String(row.cols ?? '').replace(/^\{|\}$/g, '').split(',').filter(Boolean);
    if (table) return { table, kind: 'unique', name, columns: cols, predicate: row.pred ? String(row.pred) : undefined };
  }
  const dot = name.lastIndexOf('.');
  if (dot > 0) {
    const tname = name.slice(0, dot);
    const col = name.slice(dot + 1);
    const table = tables.find((t) => t.name === tname || `${t.schema}.${t.name}` === tname);
    const c = table?.columns.find((x) => x.name === col);
    if (table && c?.notNull) return { table, kind: 'not-null', name, columns: [col] };
  }
  return undefined;
}

/** Statements that break the target, tried in order until one fails the way the rule says. */
function violations(t: Target): { sql: string; expect: string }[] {
  const tbl = t.table.sqlName;
  const pick = (filter?: string, offset = 0): string => `ctid = (SELECT ctid FROM ${tbl} WHERE ${[filter, ...t.columns.map((c) => `${quoteIdent(c)} IS NOT NULL`)].filter(Boolean).join(' AND ') || 'true'} ORDER BY ctid OFFSET ${offset} LIMIT 1)`;
  const cols = t.columns.map(quoteIdent).join(', ');
  switch (t.kind) {
    case 'unique':
    case 'exclusion':
      // Give a second row the key of the first: both satisfy the partial predicate.
      return [{ sql: `UPDATE ${tbl} SET (${cols}) = (SELECT ${cols} FROM ${tbl} WHERE ${pick(t.predicate, 0)}${t.columns.length === 1 ? '' : ''}) WHERE ${pick(t.predicate, 1)}`, expect: t.kind === 'unique' ? '23505' : '23P01' }];
    case 'not-null':
      return [{ sql: `UPDATE ${tbl} SET ${cols} = NULL WHERE ${pick()}`, expect: '23502' }];
    case 'foreign': {
      const c = t.table.columns.filter((x) => t.columns.includes(x.name));
      const missing = c.map((x) => (x.baseType === 'uuid' ? `'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid` : /int|numeric/.test(x.baseType) ? '-987654321' : `'schemaproof-missing'`));
      return [{ sql: `UPDATE ${tbl} SET (${cols}) = ROW(${missing.join(', ')}) WHERE ${pick()}`, expect: '23503' }];
    }
    case 'check': {
      // A row of any shape: a cross-column CHECK ((status = 'cancelled') = (cancelled_at IS NOT
      // NULL)) breaks by moving one column to a value another row has, or to NULL.
      const any = `ctid = (SELECT ctid FROM ${tbl} ORDER BY ctid LIMIT 1)`;
      const out: { sql: string; expect: string }[] = [];
      for (const col of t.table.columns.filter((x) => t.columns.includes(x.name) && !x.generated)) {
        const c = quoteIdent(col.name);
        const candidates = [
          `(SELECT x.${c} FROM ${tbl} x WHERE x.${c} IS DISTINCT FROM ${tbl}.${c} LIMIT 1)`,
          ...(col.notNull ? [] : ['NULL']),
          ...(/int|numeric|float/.test(col.baseType) ? ['-1', '0', '-987654321', '987654321']
            : /timestamp|date/.test(col.baseType) ? [`'1900-01-01'`, `'2999-12-31'`, `'-infinity'`, `'infinity'`]
              : col.baseType === 'bool' ? ['true', 'false']
                : [`'schemaproof-invalid'`, `''`]).map((v) => `${v}::${col.type}`),
        ];
        for (const v of candidates) out.push({ sql: `UPDATE ${tbl} SET ${c} = ${v} WHERE ${any}`, expect: '23514' });
      }
      return out;
    }
  }
}

type Base = Pick<Claim, 'kind' | 'id' | 'object' | 'loc'>;

/** ` (on orders 5000 rows, ...)`: the tables the violating statement read, as counted. */
function rowsText(read: Record<string, number>): string {
  const parts = Object.entries(read).map(([t, n]) => `${t} ${n} rows`);
  return parts.length ? ` (on ${parts.join(', ')})` : '';
}

/**
 * Every violation item is checked before any is sent: one refused item leaves the claim
 * unproven and nothing runs.
 */
export function vetViolation(items: readonly string[], catalog: Catalog | undefined): { ok: true; stmts: SafeStatement[] } | { ok: false; reason: string; evidence: Record<string, unknown> } {
  const stmts: SafeStatement[] = [];
  for (const [i, sql] of items.entries()) {
    const safe = classifyDesignSql(sql, 'violation', catalog);
    if (!safe.ok) return { ok: false, reason: `not run: violation statement ${i + 1} ${refusalText(safe)}`, evidence: { refused: safe.messageId, statement: i + 1 } };
    if (safe.params.length) return { ok: false, reason: `not run: violation statement ${i + 1} has parameters (:${safe.params[0]}); violation statements run as written`, evidence: { statement: i + 1 } };
    stmts.push(safe);
  }
  return { ok: true, stmts };
}

/** Written violation: all but the last must succeed, the last must fail with `expect`. */
async function proveWritten(db: Engine, base: Base, written: readonly string[], expect: string, catalog: Catalog | undefined): Promise<Claim> {
  const vetted = vetViolation(written, catalog);
  if (!vetted.ok) return { ...base, status: 'unproven', reason: vetted.reason, evidence: vetted.evidence };
  return withRollback(db, async () => {
    const steps: Record<string, unknown>[] = [];
    for (const [i, stmt] of vetted.stmts.entries()) {
      const last = i === vetted.stmts.length - 1;
      const r = await attempt(db, stmt.text);
      steps.push({ statement: written[i], ok: r.ok, ...(r.ok ? {} : { sqlstate: r.error.code, error: r.error.message }) });
      if (!last && !r.ok) return { ...base, status: 'unproven', reason: `setup statement ${i + 1} failed (${r.error.code}): ${r.error.message}`, evidence: { steps } };
      if (last) {
        if (r.ok) return { ...base, status: 'refuted', reason: 'the violating statement succeeded: nothing enforces this invariant', evidence: { steps } };
        if (!sqlstateMatches(r.error.code, expect)) return { ...base, status: 'refuted', reason: `the violating statement failed with ${r.error.code}, not ${expect}: ${r.error.message}`, evidence: { steps } };
        const read = await rowsRead(db, stmt.stmt);
        return { ...base, status: 'proven', reason: `rejected with ${r.error.code}${r.error.constraint ? ` by ${r.error.constraint}` : ''}${rowsText(read)}`, evidence: { steps, rowsRead: read } };
      }
    }
    return { ...base, status: 'unproven', reason: 'no statement ran', evidence: {} };
  });
}

export async function proveInvariant(db: Engine, inv: Invariant, tables: LiveTable[], loc: Loc, catalog?: Catalog): Promise<Claim> {
  const id = inv.id ?? 'invariant';
  const enforcedBy = asList(inv.enforced_by);
  const base = { kind: 'invariant' as const, id, object: enforcedBy.join(', ') || '-', loc };
  const expect = inv.expect === undefined ? undefined : String(inv.expect);
  const written = Array.isArray(inv.violation) ? inv.violation.filter((v): v is string => typeof v === 'string') : [];
  if (written.length) {
    if (!expect) return { ...base, status: 'unproven', reason: 'violation is written but expect (SQLSTATE or class) is not', evidence: {} };
    return proveWritten(db, base, written, expect, catalog);
  }
  if (!enforcedBy.length) return { ...base, status: 'unproven', reason: 'neither violation statements nor an enforced_by object to write them from', evidence: {} };
  for (const name of enforcedBy) {
    const target = await findTarget(db, tables, name);
    if (!target) continue;
    const tries = violations(target);
    const evidence: Record<string, unknown>[] = [];
    const result = await withRollback(db, async () => {
      for (const v of tries) {
        const r = await attempt(db, v.sql);
        const matches = !r.ok && sqlstateMatches(r.error.code, expect ?? v.expect) && (!r.error.constraint || r.error.constraint === name || target.kind === 'not-null');
        evidence.push({ statement: v.sql, ok: r.ok, ...(r.ok ? { rows: r.result.affectedRows } : { sqlstate: r.error.code, error: r.error.message }) });
        if (matches) {
          const n = await attempt(db, `SELECT count(*)::bigint AS n FROM ${target.table.sqlName}`);
          const rows = n.ok ? Number(n.result.rows[0]?.n ?? 0) : undefined;
          const on = rows === undefined ? '' : ` (${v.sql.split(' ')[0]} on ${target.table.sqlName}, ${rows} rows)`;
          return { status: 'proven' as const, reason: `a generated violation of ${name}${on} was rejected with ${(r as { error: { code?: string } }).error.code}` };
        }
        if (r.ok && (r.result.affectedRows ?? 0) > 0 && target.kind !== 'check') {
          return { status: 'refuted' as const, reason: `a generated violation of ${name} succeeded` };
        }
      }
      return undefined;
    });
    if (result) return { ...base, ...result, evidence: { generated: evidence } };
    return { ...base, status: 'unproven', reason: `could not write a violation of ${name} from the generated data (${target.kind}); write violation statements`, evidence: { generated: evidence } };
  }
  return { ...base, status: 'unproven', reason: `${enforcedBy.join(', ')} is a trigger, a policy or another object whose violation must be written by hand (violation:)`, evidence: {} };
}
