import { scanSync } from '../load/sql/pg.js';
import type { Statement } from '../load/sql/parse.js';
import type { SourceText } from '../load/sql/source.js';
import { truncateIdentifier } from '../catalog/names.js';
import type { MigrationContext } from '../migrations/lint.js';
import { defineRule } from '../engine/rule.js';

const LIMIT = 63;

/** Identifier bytes: letters, digits, _, $ and any non-ASCII byte. */
const IDENT = new Uint8Array(256).map((_, c) => Number((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x24 || c >= 0x80));

/**
 * Byte offsets where a run of 64 or more identifier bytes ends, in file order. Probes every
 * 64th byte: a run that long always covers a probe, so only runs under a probe are walked.
 */
function longRunEnds(source: SourceText): number[] {
  const out: number[] = [];
  const b = source.bytes;
  const n = b.length;
  let p = LIMIT;
  while (p < n) {
    if (IDENT[b[p]!] !== 1) { p += LIMIT + 1; continue; }
    let start = p;
    while (start > 0 && IDENT[b[start - 1]!] === 1) start--;
    let end = p + 1;
    while (end < n && IDENT[b[end]!] === 1) end++;
    if (end - start > LIMIT) out.push(end);
    p = end + LIMIT + 1;
  }
  return out;
}

const RUNS = new WeakMap<SourceText, number[]>();

/** Whether a run of 64+ identifier bytes lies in [start, end) of the statement's file. */
function hasLongRun(s: Statement): boolean {
  let ends = RUNS.get(s.source);
  if (!ends) RUNS.set(s.source, ends = longRunEnds(s.source));
  // The first run ending after `start`; a run never spans a statement's edge (`;`, space).
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (ends[mid]! <= s.start) lo = mid + 1; else hi = mid; }
  return lo < ends.length && ends[lo]! <= s.end;
}

function longTokens(s: Statement, report: (name: string, bytes: number, truncated: string, offset: number) => void): void {
  let tokens;
  try { tokens = scanSync(s.source.slice(s.start, s.end)).tokens; } catch { return; }
  for (const tok of tokens) {
    if (tok.tokenName !== 'IDENT') continue;
    const name = tok.text.startsWith('"') ? tok.text.slice(1, -1).replace(/""/g, '"') : tok.text.toLowerCase();
    const bytes = Buffer.byteLength(name);
    if (bytes <= LIMIT) continue;
    report(name, bytes, truncateIdentifier(name), tok.start);
  }
}

export default defineRule({
  // In `schemaproof migrations`: every statement of the file that holds a name at the limit.
  checkMigration(ctx: MigrationContext) {
    for (const ms of ctx.statements) {
      const s = ms.stmt;
      // Cheap text prefilter: only a statement holding a run of 64+ identifier characters can
      // hold a long identifier; the scanner then decides which tokens really are identifiers.
      if (!hasLongRun(s)) continue;
      longTokens(s, (name, bytes, truncated, offset) => ctx.report({ messageId: 'long', data: { name, bytes, truncated }, loc: s.source.locAt(s.start + offset), object: truncated }));
    }
  },
  id: 'identifier-too-long',
  meta: {
    description: 'No identifier is longer than 63 bytes, which PostgreSQL silently truncates.',
    severity: 'error',
    category: 'schema',
    messages: { long: 'Identifier "{name}" is {bytes} bytes; PostgreSQL truncates it to 63 ("{truncated}"), so the name in the database differs from the name in the code and two long names can collide.' },
  },
  check(ctx) {
    // The parser has already truncated names, so only statements holding a name at the
    // limit can contain a longer one; those few are scanned for their original tokens.
    const candidates = new Set<Statement>();
    // Names are at most 63 bytes here, so a name under 60 characters cannot have been cut.
    const atLimit = (n: string): boolean => n.length >= 16 && Buffer.byteLength(n) >= LIMIT - 3;
    let byLine: Map<string, Statement> | undefined;
    const consider = (name: string, file: string, line: number): void => {
      if (!atLimit(name)) return;
      if (!byLine) {
        byLine = new Map();
        for (const s of ctx.statements) byLine.set(`${s.loc.file}:${s.loc.line}`, s);
      }
      for (let l = line; l > 0 && l > line - 400; l--) {
        const s = byLine.get(`${file}:${l}`);
        if (s) { candidates.add(s); return; }
      }
    };
    for (const t of ctx.catalog.tables.values()) {
      consider(t.name, t.loc.file, t.loc.line);
      for (const c of t.columns) consider(c.name, c.loc.file, c.loc.line);
      for (const k of t.constraints) consider(k.name, k.loc.file, k.loc.line);
    }
    for (const ix of ctx.catalog.indexes.values()) consider(ix.name, ix.loc.file, ix.loc.line);
    for (const s of candidates) {
      longTokens(s, (name, bytes, truncated, offset) => ctx.report({ messageId: 'long', data: { name, bytes, truncated }, loc: s.source.locAt(s.start + offset), object: truncated }));
    }
  },
});
