/** Proof output: text grouped by status (refuted first) with evidence, and stable JSON. */
import type { Claim } from '../prove/claims/types.js';
import type { ProveResult } from '../prove/run.js';

export interface ProofJson {
  readonly version: 1;
  readonly engine: 'pglite' | 'server';
  readonly isolation: string;
  readonly claims: readonly { kind: string; id: string; object: string; status: string; reason: string; evidence: Record<string, unknown>; file?: string; line?: number; column?: number }[];
  readonly summary: { proven: number; refuted: number; unproven: number };
  readonly data: readonly { table: string; target: number; rows: number; status: string; reason?: string }[];
  /** Present when the run has something to say about where it ran (a superuser URL, a role not dropped). */
  readonly warnings?: readonly string[];
}

export function toProofJson(r: ProveResult): ProofJson {
  return {
    version: 1,
    engine: r.engine,
    isolation: r.isolation,
    claims: r.claims.map((c) => ({
      kind: c.kind, id: c.id, object: c.object, status: c.status, reason: c.reason, evidence: c.evidence,
      ...(c.loc ? { file: c.loc.file, line: c.loc.line, column: c.loc.column } : {}),
    })),
    summary: { ...r.summary },
    data: r.data.map((d) => ({ table: d.table, target: d.target, rows: d.rows, status: d.status, ...(d.reason ? { reason: d.reason } : {}) })),
    ...(r.warnings?.length ? { warnings: [...r.warnings] } : {}),
  };
}

export function renderProofJson(r: ProveResult): string {
  return `${JSON.stringify(toProofJson(r), null, 2)}\n`;
}

function evidenceLines(c: Claim): string[] {
  const out: string[] = [];
  const e = c.evidence;
  if (Array.isArray(e.plan)) out.push(...(e.plan as string[]).slice(0, 6).map((l) => `plan: ${l}`));
  for (const k of ['estimatedRows', 'totalCost', 'executionMs', 'latencyP95', 'usable', 'chosen', 'visibleOwnRows', 'visibleOtherRows', 'updateOfB', 'insertOfB', 'first', 'second', 'rows']) {
    if (e[k] !== undefined) out.push(`${k}: ${typeof e[k] === 'object' ? JSON.stringify(e[k]) : String(e[k])}`);
  }
  if (e.params && Object.keys(e.params as object).length) out.push(`params: ${JSON.stringify(e.params)}`);
  if (Array.isArray(e.steps)) for (const s of e.steps as { statement: string; ok: boolean; sqlstate?: string }[]) out.push(`${s.ok ? 'ok  ' : `${s.sqlstate ?? 'err'}`} ${s.statement.length > 110 ? `${s.statement.slice(0, 110)}...` : s.statement}`);
  if (Array.isArray(e.failures)) for (const f of e.failures as { line: number; sqlstate?: string; error: string }[]) out.push(`line ${f.line}: ${f.sqlstate ?? ''} ${f.error}`);
  if (Array.isArray(e.sample)) out.push(`sample: ${JSON.stringify((e.sample as unknown[]).slice(0, 2))}`);
  return out;
}

export function renderProofText(r: ProveResult, color: boolean): string {
  const paint = (code: number, s: string): string => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const badge = { refuted: paint(31, 'refuted '), unproven: paint(33, 'unproven'), proven: paint(32, 'proven  ') };
  const lines: string[] = [`Proof on ${r.engine === 'pglite' ? 'PGlite' : 'a PostgreSQL server'}: ${r.isolation}.`, ''];
  for (const c of r.claims) {
    const where = c.loc ? ` ${paint(2, `${c.loc.file}:${c.loc.line}`)}` : '';
    lines.push(`${badge[c.status]} ${c.kind} ${paint(1, c.id)}${c.object && c.object !== c.id && c.object !== '-' && !c.object.endsWith(`.${c.id}`) ? ` (${c.object})` : ''}: ${c.reason}${where}`);
    if (c.status !== 'proven') for (const l of evidenceLines(c)) lines.push(`           ${paint(2, l)}`);
  }
  const partial = r.data.filter((d) => d.status !== 'filled');
  lines.push('', `Generated data: ${r.data.map((d) => `${d.table.replace(/^public\./, '')} ${d.rows}`).join(', ')}.`);
  for (const d of partial) lines.push(`  ${d.table}: ${d.status}, ${d.rows} of ${d.target} rows (${d.reason ?? ''})`);
  const t = r.timings;
  lines.push(`${r.summary.proven} proven, ${r.summary.refuted} refuted, ${r.summary.unproven} unproven in ${(t.totalMs / 1000).toFixed(1)} s (engine start ${(t.startupMs / 1000).toFixed(1)} s${t.serverStartMs ? `, local server ${(t.serverStartMs / 1000).toFixed(1)} s` : ''}, data ${(t.generateMs / 1000).toFixed(1)} s).`, '');
  return lines.join('\n');
}
