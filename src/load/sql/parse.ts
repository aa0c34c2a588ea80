import { initParser, parseSync, scanSync } from './pg.js';
import type { Ast, Loc } from '../../types.js';
import { SourceText } from './source.js';

/** A `-- schemaproof-ignore rule: reason` comment written above a statement. */
export interface Suppression {
  readonly rules: readonly string[];
  readonly reason: string;
  readonly loc: Loc;
}

export interface Statement {
  /** The parser's node name: CreateStmt, IndexStmt, AlterTableStmt ... */
  readonly kind: string;
  readonly ast: Ast;
  readonly source: SourceText;
  /** Byte range of the statement in its file, first token to last, without the `;`. */
  readonly start: number;
  readonly end: number;
  readonly loc: Loc;
  /** Byte offset that the AST's `location` fields are relative to (the text handed to the parser). */
  readonly astBase: number;
  readonly suppressions: readonly Suppression[];
}

export interface SqlProblem {
  /** A statement that does not parse, a NUL byte in the text, a file that was not read. */
  readonly kind: 'syntax-error' | 'nul-byte' | 'unreadable';
  readonly message: string;
  readonly loc: Loc;
}

export interface SkippedBlock {
  readonly kind: 'psql-meta-command' | 'copy-data';
  readonly loc: Loc;
  readonly text: string;
}

export interface SqlLoadResult {
  readonly source: SourceText;
  readonly statements: Statement[];
  readonly problems: SqlProblem[];
  readonly skipped: SkippedBlock[];
}

export { initParser };

/**
 * An expression written alone (`a + 1`, `EXISTS (SELECT ...)`), parsed as `SELECT <text>`: its
 * tree, or undefined when it does not parse as exactly one expression.
 */
export function parseExpression(text: string): Ast | undefined {
  if (!text.trim()) return undefined;
  try {
    const target = (parseSync(`SELECT ${text}`).stmts?.[0]?.stmt as Ast)?.SelectStmt?.targetList;
    return target?.length === 1 ? target[0].ResTarget?.val : undefined;
  } catch {
    return undefined;
  }
}

/** Chunks keep the parser's JSON (most of its cost and memory) small. */
const CHUNK_BYTES = 192 * 1024;

const BACKSLASH = 0x5c;
const NL = 0x0a;

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d || b === NL || b === 0x0c;
}

/** Skip whitespace and comments from `pos`; returns the first byte of the next token. */
function skipTrivia(bytes: Buffer, pos: number, end: number): number {
  let p = pos;
  while (p < end) {
    const b = bytes[p];
    if (isSpace(b)) p++;
    else if (b === 0x2d && bytes[p + 1] === 0x2d) {
      const nl = bytes.indexOf(NL, p);
      p = nl === -1 || nl > end ? end : nl + 1;
    } else if (b === 0x2f && bytes[p + 1] === 0x2a) {
      let depth = 1;
      p += 2;
      while (p < end && depth > 0) {
        if (bytes[p] === 0x2a && bytes[p + 1] === 0x2f) { depth--; p += 2; }
        else if (bytes[p] === 0x2f && bytes[p + 1] === 0x2a) { depth++; p += 2; }
        else p++;
      }
    } else break;
  }
  return p;
}

const SUPPRESS = /--\s*schemaproof-ignore\s+([a-z0-9\-, ]+?)\s*(?::\s*(.*))?$/;

function suppressionsIn(source: SourceText, from: number, to: number): Suppression[] {
  if (to <= from) return [];
  const gap = source.slice(from, to);
  if (!gap.includes('schemaproof-ignore')) return [];
  const out: Suppression[] = [];
  let offset = from;
  for (const line of gap.split('\n')) {
    const m = SUPPRESS.exec(line.trimEnd());
    if (m) {
      const col = line.indexOf('--');
      out.push({
        rules: m[1]!.split(/[\s,]+/).filter(Boolean),
        reason: (m[2] ?? '').trim(),
        loc: source.locAt(offset + Buffer.byteLength(line.slice(0, col))),
      });
    }
    offset += Buffer.byteLength(line) + 1;
  }
  return out;
}

interface Region { start: number; end: number }

/** Splits the file into SQL regions around psql meta-commands and COPY ... FROM stdin data. */
function regionsOf(source: SourceText, skipped: SkippedBlock[]): Region[] {
  const b = source.bytes;
  const regions: Region[] = [];
  let regionStart = 0;
  let lineStart = 0;
  const len = b.length;
  while (lineStart < len) {
    let nl = b.indexOf(NL, lineStart);
    if (nl === -1) nl = len;
    let first = lineStart;
    while (first < nl && (b[first] === 0x20 || b[first] === 0x09)) first++;
    if (b[first] === BACKSLASH) {
      if (lineStart > regionStart) regions.push({ start: regionStart, end: lineStart });
      skipped.push({ kind: 'psql-meta-command', loc: source.locAt(first), text: source.slice(first, nl).trimEnd() });
      regionStart = lineStart = nl + 1;
      continue;
    }
    const copyEnd = (b[first] === 0x43 || b[first] === 0x63) ? copyFromStdinEnd(source, first, nl) : -1;
    if (copyEnd !== -1) {
      // The COPY statement itself stays in the region; its data lines are skipped up to `\.`.
      regions.push({ start: regionStart, end: copyEnd });
      let p = copyEnd;
      while (p < len) {
        let e = b.indexOf(NL, p);
        if (e === -1) e = len;
        if (source.slice(p, e).trim() === '\\.') { p = e + 1; break; }
        p = e + 1;
      }
      skipped.push({ kind: 'copy-data', loc: source.locAt(copyEnd), text: `${source.locAt(Math.min(p, len)).line - source.locAt(copyEnd).line} lines` });
      regionStart = lineStart = Math.min(p, len);
      continue;
    }
    lineStart = nl + 1;
  }
  if (regionStart < len) regions.push({ start: regionStart, end: len });
  return regions;
}

/** If a COPY statement reading stdin starts at `first`, the byte after the line that ends it. */
function copyFromStdinEnd(source: SourceText, first: number, nl: number): number {
  const b = source.bytes;
  // `COPY` and a space or tab, in any case (bytes compared with the lower-case bit set).
  if (first + 5 > nl || (b[first + 1]! | 0x20) !== 0x6f || (b[first + 2]! | 0x20) !== 0x70 || (b[first + 3]! | 0x20) !== 0x79) return -1;
  if (b[first + 4] !== 0x20 && b[first + 4] !== 0x09) return -1;
  // The statement may span a few lines; take lines up to the one ending with `;`.
  let end = nl;
  for (let i = 0; i < 20 && end < b.length; i++) {
    if (source.slice(first, end).trimEnd().endsWith(';')) break;
    const next = b.indexOf(NL, end + 1);
    end = next === -1 ? b.length : next;
  }
  try {
    const parsed = parseSync(source.slice(first, end));
    const copy = (parsed.stmts?.[0]?.stmt as Ast)?.CopyStmt as Ast;
    if (copy && copy.is_from && !copy.filename) return Math.min(end + 1, b.length);
  } catch {
    return -1;
  }
  return -1;
}

/** Cuts a region into chunks at line starts that follow a line ending in `;`. */
function chunksOf(source: SourceText, region: Region): Region[] {
  const b = source.bytes;
  const chunks: Region[] = [];
  let start = region.start;
  while (region.end - start > CHUNK_BYTES) {
    let cut = -1;
    let p = start + CHUNK_BYTES;
    while (p < region.end) {
      const nl = b.indexOf(NL, p);
      if (nl === -1 || nl >= region.end) break;
      let q = nl - 1;
      while (q > start && (b[q] === 0x20 || b[q] === 0x0d || b[q] === 0x09)) q--;
      if (b[q] === 0x3b) { cut = nl + 1; break; }
      p = nl + 1;
    }
    if (cut === -1) break;
    chunks.push({ start, end: cut });
    start = cut;
  }
  chunks.push({ start, end: region.end });
  return chunks;
}

function errorPosition(e: unknown): number | undefined {
  const d = (e as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
  return typeof d?.cursorPosition === 'number' ? d.cursorPosition : undefined;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Byte offset of a character index inside `text`, which starts at byte `base`. */
function byteAt(text: string, base: number, charIndex: number): number {
  return base + Buffer.byteLength(text.slice(0, Math.max(0, charIndex)));
}

class Loader {
  readonly statements: Statement[] = [];
  readonly problems: SqlProblem[] = [];
  private prevEnd: number;
  /** Byte offset of the next suppression comment, so gaps without one are never decoded. */
  private nextIgnore: number;

  /** `from`: where in the source loading starts (0 for a whole file). */
  constructor(private readonly source: SourceText, from = 0) {
    this.prevEnd = from;
    this.nextIgnore = source.bytes.indexOf('schemaproof-ignore', from);
  }

  private suppressions(from: number, to: number): Suppression[] {
    if (this.nextIgnore === -1 || this.nextIgnore >= to) return [];
    while (this.nextIgnore !== -1 && this.nextIgnore < from) this.nextIgnore = this.source.bytes.indexOf('schemaproof-ignore', this.nextIgnore + 1);
    if (this.nextIgnore === -1 || this.nextIgnore >= to) return [];
    return suppressionsIn(this.source, from, to);
  }

  private push(stmt: Ast, absStart: number, absEnd: number, astBase: number): void {
    const b = this.source.bytes;
    const start = skipTrivia(b, absStart, absEnd);
    let end = absEnd;
    while (end > start && (isSpace(b[end - 1]) || b[end - 1] === 0x3b)) end--;
    const kind = Object.keys(stmt)[0]!;
    this.statements.push({
      kind,
      ast: stmt[kind],
      source: this.source,
      start,
      end,
      loc: this.source.locAt(start),
      astBase,
      suppressions: this.suppressions(this.prevEnd, start),
    });
    this.prevEnd = absEnd;
  }

  /** Parses [start, end) as a whole. False when the parser rejected it. */
  private tryWhole(start: number, end: number): boolean {
    const text = this.source.slice(start, end);
    let parsed;
    try {
      parsed = parseSync(text);
    } catch (e) {
      if (/cannot be empty/i.test(errorMessage(e))) return true;
      return false;
    }
    for (const s of parsed.stmts ?? []) {
      const loc = s.stmt_location ?? 0;
      const len = s.stmt_len ?? 0;
      const relEnd = len === 0 ? Buffer.byteLength(text) : loc + len;
      this.push(s.stmt as Ast, start + loc, start + relEnd + 1 > end ? end : start + relEnd + 1, start);
    }
    return true;
  }

  /**
   * Splits [start, end) at top-level `;` tokens and parses each piece, so one bad statement
   * never hides the rest. Returns false when the region ends inside a quote or comment.
   */
  private piecewise(start: number, end: number, final: boolean): boolean {
    const text = this.source.slice(start, end);
    let tokens;
    try {
      tokens = scanSync(text).tokens;
    } catch {
      if (!final) return false;
      // Unterminated quote or comment at the end of the input: what comes before it still
      // loads; the rest is one syntax error where the quote or comment opens.
      let pos: number | undefined;
      let message = 'unterminated quoted string or comment';
      try { parseSync(text); } catch (pe) { pos = errorPosition(pe); message = errorMessage(pe).split('\n')[0]!.trim(); }
      const at = pos === undefined ? start : byteAt(text, start, pos);
      if (at > start && at < end) {
        // Keep the statements that end before the one holding the open quote.
        let cut = start;
        try {
          for (const t of scanSync(this.source.slice(start, at)).tokens) if (t.text === ';') cut = start + t.end;
        } catch { /* nothing before it loads */ }
        if (cut > start) this.piecewise(start, cut, true);
      }
      this.problems.push({ kind: 'syntax-error', message, loc: this.source.locAt(skipTrivia(this.source.bytes, at, end)) });
      return true;
    }
    let pieceStart = 0;
    const pieces: Array<[number, number]> = [];
    for (const t of tokens) {
      if (t.text === ';') { pieces.push([pieceStart, t.end]); pieceStart = t.end; }
    }
    const textBytes = Buffer.byteLength(text);
    if (pieceStart < textBytes) pieces.push([pieceStart, textBytes]);
    for (const [a, z] of pieces) {
      const absA = start + a;
      const absZ = start + z;
      const pieceText = this.source.slice(absA, absZ);
      try {
        const parsed = parseSync(pieceText);
        for (const s of parsed.stmts ?? []) this.push(s.stmt as Ast, absA + (s.stmt_location ?? 0), absZ, absA);
      } catch (e) {
        const msg = errorMessage(e);
        if (/cannot be empty/i.test(msg)) continue;
        const pos = errorPosition(e);
        const at = pos === undefined ? skipTrivia(this.source.bytes, absA, absZ) : byteAt(pieceText, absA, pos);
        this.problems.push({ kind: 'syntax-error', message: msg, loc: this.source.locAt(at) });
        this.prevEnd = absZ;
      }
    }
    return true;
  }

  loadRegion(region: Region): void {
    const chunks = chunksOf(this.source, region);
    let i = 0;
    while (i < chunks.length) {
      let { start, end } = chunks[i]!;
      i++;
      while (!this.tryWhole(start, end)) {
        if (this.piecewise(start, end, i >= chunks.length)) break;
        // The cut fell inside a quoted body: take the next chunk along and try again.
        end = chunks[i]!.end;
        i++;
      }
    }
  }
}

/**
 * The statements of bytes [start, end) of a loaded source: SQL written inside another statement
 * (a DO block's), each statement located in the file as a top-level one is.
 */
export function statementsIn(source: SourceText, start: number, end: number): { statements: Statement[]; problems: SqlProblem[] } {
  const loader = new Loader(source, start);
  loader.loadRegion({ start, end });
  return { statements: loader.statements, problems: loader.problems };
}

/** Loads one SQL text: every statement that parses, a problem for each that does not. */
/** The message of sql-syntax-error for each kind of problem (the migration lint reports them too). */
export const SQL_PROBLEM_MESSAGE: Record<SqlProblem['kind'], string> = { 'syntax-error': 'syntax', 'nul-byte': 'nul-byte', unreadable: 'unreadable' };

/**
 * NUL bytes: the parser reads C strings, so everything after one would silently vanish. Each run
 * of them is reported and read as spaces (one byte each: offsets and columns stay true).
 */
function withoutNul(file: string, text: string): { text: string; problems: SqlProblem[] } {
  if (!text.includes('\0')) return { text, problems: [] };
  const problems: SqlProblem[] = [];
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) { line++; lineStart = i + 1; continue; }
    if (c !== 0 || text.charCodeAt(i - 1) === 0) continue;
    if (problems.length < 100) problems.push({ kind: 'nul-byte', message: 'a NUL byte', loc: { file, line, column: Buffer.byteLength(text.slice(lineStart, i)) + 1 } });
  }
  return { text: text.replaceAll('\0', ' '), problems };
}

export async function loadSqlText(file: string, original: string): Promise<SqlLoadResult> {
  await initParser();
  const { text, problems: nul } = withoutNul(file, original);
  const source = new SourceText(file, text);
  const skipped: SkippedBlock[] = [];
  const loader = new Loader(source);
  for (const p of nul) loader.problems.push(p);
  for (const region of regionsOf(source, skipped)) loader.loadRegion(region);
  return { source, statements: loader.statements, problems: loader.problems, skipped };
}
