/**
 * How much data a data-dependent claim stood on: the rows of every relation its statement
 * reads, counted on the database (not from statistics). A claim whose tables are empty, or
 * whose main table holds fewer than MIN_ROWS rows, shows nothing and stays unproven.
 */
import { references } from '../../analyses/query.js';
import type { Ast } from '../../types.js';
import type { Engine } from '../engine.js';
import { attempt, quoteIdent } from '../engine.js';

/** Fewest rows the table a claim is about must hold for the answer to mean anything. */
export const MIN_ROWS = 100;

/** Counting stops here: enough to say "plenty" without reading a big table whole. */
const COUNT_CAP = 1_000_000;

/** Rows of each relation the statement reads (`schema.name` or `name` as written), counted up to a cap. */
export async function rowsRead(db: Engine, stmt: Ast): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of references(stmt).relations) {
    if (!r.table) continue;
    const name = r.schema ? `${r.schema}.${r.table}` : r.table;
    if (name in out) continue;
    const rel = r.schema ? `${quoteIdent(r.schema)}.${quoteIdent(r.table)}` : quoteIdent(r.table);
    const c = await attempt(db, `SELECT count(*)::bigint AS n FROM (SELECT 1 FROM ${rel} LIMIT ${COUNT_CAP}) x`);
    if (c.ok) out[name] = Number(c.result.rows[0]?.n ?? 0);
  }
  return out;
}

/** Why the data cannot carry the claim, or undefined when it can. */
export function tooLittleData(rows: Record<string, number>, main?: { name: string; rows: number }, min = MIN_ROWS): string | undefined {
  const empty = Object.entries(rows).filter(([, n]) => n === 0).map(([t]) => t);
  if (empty.length) return `too little data: ${empty.join(', ')} ${empty.length > 1 ? 'are' : 'is'} empty, so the database was not asked anything about ${empty.length > 1 ? 'their' : 'its'} rows`;
  if (main && main.rows < min) return `too little data: ${main.name} holds ${main.rows} rows (fewer than ${min}), too few for the answer to say anything at the declared volume; raise --scale or the design's volumes`;
  return undefined;
}
