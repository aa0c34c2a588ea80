/** The mutable draft a catalog is built in; frozen into a Catalog once all statements applied. */
import { scanSync, type ScanToken } from '../load/sql/pg.js';
import type { Ast, Loc } from '../types.js';
import { parseExpression, type Statement } from '../load/sql/parse.js';
import { columnsIn, exprKey, minLocation, strList } from '../load/sql/ast.js';
import type {
  Catalog, CatalogProblem, Column, SearchPathMiss, Domain, EnumType, Expr, Func, Grant, Index, Policy, Role, Sequence, Table, Trigger,
  Unmodelled, View,
} from './model.js';

export class Draft {
  searchPath: string[] = ['public'];
  schemas = new Set<string>(['public']);
  tables = new Map<string, Table>();
  indexes = new Map<string, Index>();
  policies: Policy[] = [];
  triggers: Trigger[] = [];
  functions = new Map<string, Func>();
  enums = new Map<string, EnumType>();
  domains = new Map<string, Domain>();
  views = new Map<string, View>();
  sequences = new Map<string, Sequence>();
  roles = new Map<string, Role>();
  grants: Grant[] = [];
  extensions = new Set<string>();
  /** Privileges per object (see apply/acl.ts). */
  acl = new Map<string, Set<string>>();
  /** ALTER DEFAULT PRIVILEGES in force, by `schema|kind` (`*|kind` for every schema; see apply/acl.ts). */
  defaultAcl = new Map<string, Set<string>>();
  /** Temporary tables of the current session, by name: not part of the schema, never reported missing. */
  tempTables = new Set<string>();
  unmodelled: Unmodelled[] = [];
  problems: CatalogProblem[] = [];
  /** Where the search_path in force was set (undefined: the default of a new session). */
  searchPathLoc?: Loc;
  /** SET search_path whose first schema did not exist when an unqualified name was resolved. */
  searchPathMisses: SearchPathMiss[] = [];

  /** The statement being applied, for locations and expression text. */
  stmt!: Statement;

  get loc(): Loc {
    return this.stmt.loc;
  }

  /** The text of the statement being applied, when it is a `kind` statement of its own. */
  statementSql(kind: string): string | undefined {
    return this.stmt.kind === kind ? this.stmt.source.slice(this.stmt.start, this.stmt.end) : undefined;
  }

  /**
   * Schema an unqualified new object goes into: as PostgreSQL does, the first schema of the
   * path that exists (a missing one is skipped, and recorded where the path was set).
   */
  creationSchema(schema?: string): string {
    if (schema) return schema;
    const { first, found } = this.pathSchemas();
    if (first !== undefined && first !== found && this.searchPathLoc) this.searchPathMiss(first, found);
    return found ?? 'public';
  }

  /** The schema an unqualified name not found anywhere would be looked up in (no miss recorded). */
  lookupSchema(): string {
    return this.pathSchemas().found ?? 'public';
  }

  /** The first schema the path names, and the first that exists. */
  private pathSchemas(): { first?: string; found?: string } {
    const named = this.searchPath.filter((s) => s !== 'pg_catalog' && s !== '$user' && s !== 'pg_temp');
    return { first: named[0], found: named.find((s) => this.schemas.has(s)) };
  }

  private searchPathMiss(schema: string, used: string | undefined): void {
    const at = this.searchPathLoc!;
    if (this.searchPathMisses.some((m) => m.loc === at && m.schema === schema)) return;
    this.searchPathMisses.push({ loc: at, schema, used, object: this.stmt.kind });
  }

  /** Resolves a possibly unqualified name against a map, following search_path. */
  resolve<T>(map: ReadonlyMap<string, T>, name: string, schema?: string): string {
    if (schema) return `${schema}.${name}`;
    for (const s of this.searchPath) {
      const k = `${s}.${name}`;
      if (map.has(k)) return k;
    }
    // A name found nowhere: where it would be created (a lookup is no creation, so no miss is recorded).
    return `${this.lookupSchema()}.${name}`;
  }

  /** Key of a RangeVar naming a table (or view). */
  relKey(rv: Ast): string {
    return this.resolve(this.tables, rv?.relname ?? '', rv?.schemaname);
  }

  /** Key from a qualified name list (`['s', 'n']` or `['n']`) against a map. */
  nameKey<T>(map: ReadonlyMap<string, T>, names: string[]): string {
    const name = names[names.length - 1] ?? '';
    const schema = names.length > 1 ? names[names.length - 2] : undefined;
    return this.resolve(map, name, schema);
  }

  /** The schema an unqualified function name resolves to through search_path. */
  resolveFunctionSchema(name: string): string {
    for (const sp of this.searchPath) for (const f of this.functions.values()) if (f.schema === sp && f.name === name) return sp;
    return this.lookupSchema();
  }

  /** The serial or identity column whose sequence is `key` (schema.name), if any. */
  columnOfSequence(key: string): Column | undefined {
    const dot = key.indexOf('.');
    const schema = key.slice(0, dot);
    const name = key.slice(dot + 1);
    for (const t of this.tables.values()) if (t.schema === schema) for (const c of t.columns) if (c.sequence === name) return c;
    return undefined;
  }

  /** True when `key` (schema.name) names a temporary table of this session rather than a table. */
  isTemp(key: string): boolean {
    return !this.tables.has(key) && this.tempTables.has(key.slice(key.lastIndexOf('.') + 1));
  }

  table(key: string, what: string): Table | undefined {
    const t = this.tables.get(key);
    if (!t && !this.isTemp(key)) this.problem(`${what}: table ${key} does not exist at this point`, key);
    return t;
  }

  problem(message: string, object: string): void {
    this.problems.push({ message, loc: this.loc, object });
  }

  unmodelledHere(reason: string): void {
    this.unmodelled.push({ kind: this.stmt.kind, loc: this.loc, reason });
  }

  /**
   * An expression from the current statement. The parser gives start offsets only, so the
   * text runs from the node's first location to the end of the balanced expression, or to the
   * first of `stopWords` (upper-case keywords or names) met outside brackets: what may follow the
   * expression in its clause (a column's NOT NULL after its DEFAULT, an index key's DESC).
   */
  expr(ast: Ast, stopWords?: ReadonlySet<string>): Expr {
    if (this.span?.of !== this.stmt) {
      const { source, start, end, astBase } = this.stmt;
      this.span = { of: this.stmt, text: { source, start, end, astBase } };
    }
    // The closure keeps the statement's text span, not the statement: its whole AST would
    // otherwise live as long as the catalog (2.5 GB for a 50 MB schema).
    const span = this.span.text;
    return lazyExpr(ast, () => exprText(span, ast, stopWords));
  }

  private span: { of: Statement; text: StatementSpan } | undefined;

  freeze(): Catalog {
    return Object.freeze({
      schemas: this.schemas,
      searchPathMisses: Object.freeze([...this.searchPathMisses]),
      tables: this.tables,
      indexes: this.indexes,
      policies: Object.freeze([...this.policies]),
      triggers: Object.freeze([...this.triggers]),
      functions: this.functions,
      enums: this.enums,
      domains: this.domains,
      views: this.views,
      sequences: this.sequences,
      roles: this.roles,
      grants: Object.freeze([...this.grants]),
      extensions: this.extensions,
      acl: this.acl,
      defaultAcl: this.defaultAcl,
      unmodelled: Object.freeze([...this.unmodelled]),
      problems: Object.freeze([...this.problems]),
    });
  }
}

/**
 * Source text of an expression, over PostgreSQL's own tokens. The parser gives only start
 * offsets, so candidates are cut and checked against the parse tree: from the expression's
 * earliest location (then from each opening bracket just before it, since `(a + b) * c` starts
 * before its first location), up to a top-level comma, a closing bracket of the enclosing list
 * or a stop word; the first candidate whose own parse is this expression wins (else the first
 * cut). Comments are dropped, the space between tokens becomes one space, string literals are
 * kept exactly. It is shown, and written back as SQL by `plan`.
 */
function exprText(stmt: StatementSpan, ast: Ast, stopWords?: ReadonlySet<string>): string {
  const rel = minLocation(ast);
  if (rel === undefined) return '';
  const start = stmt.astBase + rel;
  if (start < stmt.start || start >= stmt.end) return '';
  const bytes = stmt.source.bytes.subarray(stmt.start, stmt.end);
  const tokens = statementTokens(stmt, bytes);
  if (!tokens) return stmt.source.slice(start, stmt.end).trim();
  const first = tokens.findIndex((t) => t.start >= start - stmt.start);
  if (first === -1) return '';
  const want = exprKey(ast);
  let fallback: string | undefined;
  // Each opening bracket right before the first token may belong to the expression.
  for (let from = first; from >= 0 && (from === first || tokens[from]!.text === '('); from--) {
    const text = cut(bytes, tokens, from, stopWords);
    fallback ??= text;
    if (parsesTo(text, want)) return text;
  }
  return fallback ?? '';
}

/** A statement's tokens without comments, scanned once however many of its expressions are read. */
const tokenCache = new WeakMap<StatementSpan, ScanToken[] | null>();
function statementTokens(stmt: StatementSpan, bytes: Buffer): ScanToken[] | undefined {
  let tokens = tokenCache.get(stmt);
  if (tokens === undefined) {
    try {
      tokens = scanSync(bytes.toString('utf8')).tokens.filter((t) => t.tokenName !== 'C_COMMENT' && t.tokenName !== 'SQL_COMMENT');
    } catch {
      tokens = null;
    }
    tokenCache.set(stmt, tokens);
  }
  return tokens ?? undefined;
}

/** Tokens from `from` to the end of the expression they start, joined as described above. */
function cut(bytes: Buffer, tokens: readonly ScanToken[], from: number, stopWords?: ReadonlySet<string>): string {
  const parts: string[] = [];
  let depth = 0;
  let prevEnd = -1;
  let prevWord = '';
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    const word = t.text;
    if (depth === 0 && (word === ',' || word === ')' || word === ']' || word === ';')) break;
    if (depth === 0 && stopWords && parts.length > 0 && (stopWords.has(word.toUpperCase()) || stopWords.has(word))) break;
    if (word === '(' || word === '[') depth++;
    else if (word === ')' || word === ']') depth--;
    // Where the source had space or a comment, one space; none inside brackets or around a cast.
    if (prevEnd >= 0 && t.start > prevEnd && !NO_SPACE_AFTER.has(prevWord) && !NO_SPACE_BEFORE.has(word)) parts.push(' ');
    parts.push(bytes.toString('utf8', t.start, t.end));
    prevEnd = t.end;
    prevWord = word;
  }
  return parts.join('');
}

/** Whether `text`, parsed as an expression, is the expression whose key is `want`. */
function parsesTo(text: string, want: string): boolean {
  const ast = parseExpression(text);
  return ast !== undefined && exprKey(ast) === want;
}

const NO_SPACE_AFTER = new Set(['(', '[', '::', '.']);
const NO_SPACE_BEFORE = new Set([')', ']', ',', '::', '.']);

/** Location of an AST node's `location` field inside the current statement. */
/** Where a statement's text is: what an expression's text is cut from. */
type StatementSpan = Pick<Statement, 'source' | 'start' | 'end' | 'astBase'>;

/** An expression whose text, key and columns are computed on first use: most are never shown or compared. */
export function lazyExpr(ast: Ast, textOf: () => string): Expr {
  let text: string | undefined;
  let key: string | undefined;
  let columns: string[] | undefined;
  return {
    ast,
    get text() { return (text ??= textOf()); },
    get key() { return (key ??= exprKey(ast)); },
    get columns() { return (columns ??= [...columnsIn(ast)]); },
  };
}

export function nodeLoc(d: Draft, location: number | undefined): Loc {
  if (typeof location !== 'number' || location < 0) return d.loc;
  return d.stmt.source.locAt(d.stmt.astBase + location);
}
