/**
 * drift: a drift query (or a migration validation query) runs on the generated data and
 * must return zero rows. The generated data honours the schema only, so rows found for a
 * rule the schema does not enforce (application, transaction, async validator, or a
 * migration that has not run) leave the claim unproven rather than refuted. No rows on empty or
 * thin tables shows nothing: proven needs every table read to hold rows, the largest MIN_ROWS.
 */
import { classifyDesignSql, firstRowsOf, refusalText } from '../../analyses/design-sql.js';
import type { Loc } from '../../types.js';
import type { Engine } from '../engine.js';
import { attempt, withRollback } from '../engine.js';
import { rowsRead, tooLittleData } from './rows-read.js';
import type { Claim } from './types.js';

export async function proveDrift(db: Engine, id: string, sql: string, schemaEnforced: boolean, loc: Loc): Promise<Claim> {
  const base = { kind: 'drift' as const, id, object: id, loc };
  const safe = classifyDesignSql(sql, 'query');
  if (!safe.ok) {
    if (safe.messageId === 'syntax' || safe.messageId === 'empty') return { ...base, status: 'refuted', reason: `the query ${refusalText(safe)}`, evidence: {} };
    return { ...base, status: 'unproven', reason: `not run: the query ${refusalText(safe)}`, evidence: { refused: safe.messageId } };
  }
  if (safe.params.length) return { ...base, status: 'unproven', reason: 'the query has parameters; a drift query must run as written', evidence: {} };
  // Six rows say "more than five" without reading them all.
  const firstRows = firstRowsOf(safe, 6);
  if (!firstRows) return { ...base, status: 'unproven', reason: 'not run: the query cannot be read as a subquery as written', evidence: {} };
  return withRollback(db, async () => {
    const r = await attempt(db, firstRows);
    if (!r.ok) return { ...base, status: 'refuted', reason: `the query fails: ${r.error.message}`, evidence: { sqlstate: r.error.code } };
    const rows = r.result.rows;
    if (rows.length === 0) {
      const read = await rowsRead(db, safe.stmt);
      const largest = Object.entries(read).sort((a, b) => b[1] - a[1])[0];
      const thin = tooLittleData(read, largest ? { name: largest[0], rows: largest[1] } : undefined);
      if (thin || !largest) return { ...base, status: 'unproven', reason: `returns no rows, but ${thin ?? 'it reads no table'}`, evidence: { rows: 0, rowsRead: read } };
      return { ...base, status: 'proven', reason: `returns no rows on the generated data (${Object.entries(read).map(([t, n]) => `${t} ${n}`).join(', ')} rows)`, evidence: { rows: 0, rowsRead: read } };
    }
    const sample = rows.slice(0, 5).map((x) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])));
    return schemaEnforced
      ? { ...base, status: 'refuted', reason: `returns rows on data that satisfies every constraint: the constraints named do not keep this invariant`, evidence: { rows: rows.length > 5 ? '6 or more' : rows.length, sample } }
      : { ...base, status: 'unproven', reason: 'returns rows on generated data, which honours the schema only: this rule is kept outside the database, so the data cannot show whether it holds', evidence: { rows: rows.length > 5 ? '6 or more' : rows.length, sample } };
  });
}
