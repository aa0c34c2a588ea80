/** The mutable draft a catalog is built in; frozen into a Catalog once all statements applied. */
import type { Ast, Loc } from '../types.js';
import type { Statement } from '../load/sql/parse.js';
import { columnsIn, exprKey, strList } from '../load/sql/ast.js';
import type {
  Catalog, CatalogProblem, Domain, EnumType, Expr, Func, Grant, Index, Policy, Role, Sequence, Table, Trigger,
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
  unmodelled: Unmodelled[] = [];
  problems: CatalogProblem[] = [];

  /** The statement being applied, for locations and expression text. */
  stmt!: Statement;

  get loc(): Loc {
    return this.stmt.loc;
  }

  /** The text of the statement being applied, when it is a `kind` statement of its own. */
  statementSql(kind: string): string | undefined {
    return this.stmt.kind === kind ? this.stmt.source.slice(this.stmt.start, this.stmt.end) : undefined;
  }

  /** Schema an unqualified new object goes into. */
  creationSchema(schema?: string): string {
    return schema ?? this.searchPath.find((s) => s !== 'pg_catalog' && s !== '$user') ?? 'public';
  }

  /** Resolves a possibly unqualified name against a map, following search_path. */
  resolve<T>(map: ReadonlyMap<string, T>, name: string, schema?: string): string {
    if (schema) return `${schema}.${name}`;
    for (const s of this.searchPath) {
      const k = `${s}.${name}`;
      if (map.has(k)) return k;
    }
    return `${this.creationSchema()}.${name}`;
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

  table(key: string, what: string): Table | undefined {
    const t = this.tables.get(key);
    if (!t) this.problem(`${what}: table ${key} does not exist at this point`, key);
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
   * text runs from the node's first location to the end of the balanced expression.
   */
  expr(ast: Ast): Expr {
    // Text and key are computed on first use: most expressions are never shown or compared.
    const stmt = this.stmt;
    let text: string | undefined;
    let key: string | undefined;
    let columns: string[] | undefined;
    return {
      ast,
      get text() { return (text ??= exprText(stmt, ast)); },
      get key() { return (key ??= exprKey(ast)); },
      get columns() { return (columns ??= [...columnsIn(ast)]); },
    };
  }

  freeze(): Catalog {
    return Object.freeze({
      schemas: this.schemas,
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
      unmodelled: Object.freeze([...this.unmodelled]),
      problems: Object.freeze([...this.problems]),
    });
  }
}

function minLocation(ast: Ast): number | undefined {
  let min: number | undefined;
  const visit = (n: Ast): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) { n.forEach(visit); return; }
    for (const [k, v] of Object.entries(n)) {
      if (k === 'location' && typeof v === 'number' && v >= 0) min = min === undefined ? v : Math.min(min, v);
      else if (v && typeof v === 'object') visit(v);
    }
  };
  visit(ast);
  return min;
}

/**
 * Source text of an expression: from its earliest location, extended over balanced
 * parentheses and stopping at a top-level comma or closing bracket of the enclosing list.
 * Display only: rules compare `key`, never this text.
 */
function exprText(stmt: Statement, ast: Ast): string {
  const rel = minLocation(ast);
  if (rel === undefined) return '';
  const text = stmt.source.slice(stmt.start, stmt.end);
  const relStart = stmt.astBase + rel - stmt.start;
  if (relStart < 0 || relStart >= Buffer.byteLength(text)) return '';
  const bytes = Buffer.from(text, 'utf8');
  let depth = 0;
  let i = relStart;
  let inStr = false;
  for (; i < bytes.length; i++) {
    const c = bytes[i];
    if (inStr) { if (c === 0x27) inStr = false; continue; }
    if (c === 0x27) { inStr = true; continue; }
    if (c === 0x28) depth++;
    else if (c === 0x29) { if (depth === 0) break; depth--; }
    else if (c === 0x2c && depth === 0) break;
  }
  return bytes.toString('utf8', relStart, i).trim().replace(/\s+/g, ' ');
}


/** Location of an AST node's `location` field inside the current statement. */
export function nodeLoc(d: Draft, location: number | undefined): Loc {
  if (typeof location !== 'number' || location < 0) return d.loc;
  return d.stmt.source.locAt(d.stmt.astBase + location);
}
