/**
 * Keeps stored SQL true after a rename. The catalog keeps the statement that
 * created a function, trigger or view so `plan` can write it back; once the object (or the
 * function a trigger runs) is renamed, the name in that text is rewritten, over PostgreSQL's
 * own scanner tokens, so the statement re-creates the object under its current name. A view's
 * statement also follows renames of the tables and columns it reads (`renameInView`).
 */
import { identSql } from '../load/sql/ast.js';
import { lazyExpr } from './draft.js';
import { parseSync, scanSync, type ScanToken } from '../load/sql/pg.js';
import type { Ast } from '../types.js';
import type { Expr } from './model.js';

/** A name part: an identifier or a keyword PostgreSQL accepts as one. */
function isNamePart(t: ScanToken | undefined): boolean {
  return Boolean(t) && (t!.tokenName === 'IDENT' || (t!.keywordKind !== 0 && t!.keywordName !== 'RESERVED_KEYWORD'));
}

/** The parts of the (possibly qualified) name starting at token `i`; none when no name starts there. */
function nameParts(tokens: readonly ScanToken[], i: number): ScanToken[] {
  if (!isNamePart(tokens[i])) return [];
  const out = [tokens[i]!];
  while (tokens[i + 1]?.text === '.' && isNamePart(tokens[i + 2])) { out.push(tokens[i + 2]!); i += 2; }
  return out;
}

/** The last part of the (possibly qualified) name starting at token `i`: the token to replace. */
function lastNamePart(tokens: readonly ScanToken[], i: number): ScanToken | undefined {
  return nameParts(tokens, i).at(-1);
}

function replaceToken(sql: string, t: ScanToken, name: string): string {
  const bytes = Buffer.from(sql, 'utf8');
  return `${bytes.toString('utf8', 0, t.start)}${identSql(name)}${bytes.toString('utf8', t.end)}`;
}

function tokensOf(sql: string): readonly ScanToken[] | undefined {
  try { return scanSync(sql).tokens; } catch { return undefined; }
}

/**
 * `sql` (a CREATE FUNCTION, PROCEDURE, TRIGGER, VIEW or SEQUENCE statement) with the created object's
 * name replaced by `name`; unchanged when the statement's shape is not the one expected.
 */
export function renameCreated(sql: string, name: string): string {
  const tokens = tokensOf(sql);
  if (!tokens) return sql;
  const kinds = new Set(['function', 'procedure', 'trigger', 'view', 'sequence']);
  const at = tokens.findIndex((t) => kinds.has(t.text.toLowerCase()));
  if (at === -1) return sql;
  let i = at + 1;
  if (tokens[i]?.text.toLowerCase() === 'if' && tokens[i + 1]?.text.toLowerCase() === 'not' && tokens[i + 2]?.text.toLowerCase() === 'exists') i += 3;
  const t = lastNamePart(tokens, i);
  return t ? replaceToken(sql, t, name) : sql;
}

/** A CREATE TRIGGER statement with the function it executes renamed to `name`. */
export function renameTriggerFunction(sql: string, name: string): string {
  const tokens = tokensOf(sql);
  if (!tokens) return sql;
  const at = tokens.findIndex((t, i) => t.text.toLowerCase() === 'execute' && ['function', 'procedure'].includes(tokens[i + 1]?.text.toLowerCase() ?? ''));
  if (at === -1) return sql;
  const t = lastNamePart(tokens, at + 2);
  return t ? replaceToken(sql, t, name) : sql;
}

/** An identifier token's name as PostgreSQL folds it: unquoted lower-cased, quoted as written. */
function identName(t: ScanToken): string {
  return t.text.startsWith('"') ? t.text.slice(1, -1).replace(/""/g, '"') : t.text.toLowerCase();
}

/**
 * An expression with column `from` renamed to `to`: in its parse tree (column references) and
 * in its text (over the scanner's tokens: a name followed by `(` is a function, left alone).
 * PostgreSQL keeps expressions by column number, so a rename carries into them.
 */
export function renameColumnInExpr(expr: Expr, from: string, to: string): Expr {
  if (!expr.columns.includes(from)) return expr;
  const ast = structuredClone(expr.ast);
  const visit = (n: Ast): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) { n.forEach(visit); return; }
    if (n.ColumnRef) {
      const fields: Ast[] = n.ColumnRef.fields ?? [];
      const last = fields[fields.length - 1];
      if (last?.String?.sval === from) last.String.sval = to;
      return;
    }
    for (const v of Object.values(n)) if (v && typeof v === 'object') visit(v);
  };
  visit(ast);
  return lazyExpr(ast, () => renameInText(expr.text, from, to));
}

function renameInText(source: string, from: string, to: string): string {
  let text = source;
  const tokens = tokensOf(text);
  if (!tokens) return text;
  // Right to left, so earlier offsets stay valid.
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (!isNamePart(t) || identName(t) !== from || tokens[i + 1]?.text === '(' || tokens[i + 1]?.text === '.') continue;
    text = replaceToken(text, t, to);
  }
  return text;
}

/** What was renamed under a view: a table (`newName`) or one of its columns (`column`). */
export interface RenameUnderView {
  /** Key of the table renamed, or of the table whose column is renamed. */
  readonly table: string;
  readonly newName?: string;
  readonly column?: { readonly from: string; readonly to: string };
}

interface FromItem { readonly key?: string; readonly ref: string; readonly aliased: boolean }
interface Scope { readonly items: FromItem[]; readonly parent?: Scope }
interface Edit { readonly at: number; readonly end: number; readonly text: string }

/**
 * A view's CREATE statement after a table it reads, or a column of one, was renamed, with its
 * query re-parsed: PostgreSQL keeps a view by the identity of what it reads, so its definition
 * follows a rename, and a column that kept no name of its own keeps the old one as its output
 * name (`b AS a`). Column references are resolved as PostgreSQL does, innermost query first:
 * qualified by the table's name or alias, or unqualified where the table is the one FROM item
 * of that query level known to have the column. Undefined when nothing changes or the
 * statement does not parse. `relKey` resolves a RangeVar to a table key; `columnsOf` gives a
 * table's columns before the rename. A `*` is left as written: re-created, it lists the
 * column under its new name.
 */
export function renameInView(sql: string, rename: RenameUnderView, relKey: (rv: Ast) => string, columnsOf: (key: string) => readonly string[] | undefined): { sql: string; query: Ast } | undefined {
  const tokens = tokensOf(sql);
  const query = viewQuery(sql);
  if (!tokens || !query) return undefined;
  const byStart = new Map(tokens.map((t, i) => [t.start, i]));
  const partsAt = (loc: number): ScanToken[] => { const i = byStart.get(loc); return i === undefined ? [] : nameParts(tokens, i); };
  const edits: Edit[] = [];
  const replace = (t: ScanToken, name: string): void => { edits.push({ at: t.start, end: t.end, text: identSql(name) }); };
  const find = (scope: Scope | undefined, ok: (item: FromItem) => boolean): { item: FromItem; scope: Scope } | undefined => {
    for (let s = scope; s; s = s.parent) { const item = s.items.find(ok); if (item) return { item, scope: s }; }
    return undefined;
  };
  const hasColumn = (item: FromItem, col: string): boolean => Boolean(item.key && columnsOf(item.key)?.includes(col));

  const columnRef = (cr: Ast, scope: Scope, outputName: boolean): void => {
    const fields: Ast[] = cr.fields ?? [];
    const names = fields.map((f) => f.String?.sval as string | undefined);
    const parts = partsAt(cr.location);
    if (parts.length !== names.filter((n) => n !== undefined).length) return;
    const qualifier = names.length >= 2 ? names[names.length - 2] : undefined;
    const owner = qualifier !== undefined ? find(scope, (i) => i.ref === qualifier)?.item : undefined;
    if (rename.newName && owner?.key === rename.table && !owner.aliased) replace(parts[names.length - 2]!, rename.newName);
    const col = names[names.length - 1];
    if (!rename.column || col !== rename.column.from) return;
    let target: FromItem | undefined;
    if (qualifier !== undefined) target = owner;
    else {
      const found = find(scope, (i) => i.key === rename.table || hasColumn(i, col));
      if (found && found.scope.items.filter((i) => i.key === rename.table || hasColumn(i, col)).length === 1) target = found.item;
    }
    if (target?.key !== rename.table) return;
    const last = parts[parts.length - 1]!;
    replace(last, rename.column.to);
    if (outputName) edits.push({ at: last.end, end: last.end, text: ` AS ${identSql(col)}` });
  };

  const walk = (n: Ast, scope: Scope | undefined): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) { for (const x of n) walk(x, scope); return; }
    if (n.SelectStmt) { select(n.SelectStmt, scope); return; }
    if (n.ColumnRef) { if (scope) columnRef(n.ColumnRef, scope, false); return; }
    for (const v of Object.values(n)) if (v && typeof v === 'object') walk(v, scope);
  };

  const fromItem = (n: Ast, parent: Scope | undefined, items: FromItem[], quals: Ast[]): void => {
    if (n?.RangeVar) {
      const rv = n.RangeVar;
      const key = relKey(rv);
      items.push({ key, ref: rv.alias?.aliasname ?? rv.relname, aliased: Boolean(rv.alias) });
      if (rename.newName && key === rename.table) { const parts = partsAt(rv.location); if (parts.length) replace(parts[parts.length - 1]!, rename.newName); }
    } else if (n?.JoinExpr) {
      fromItem(n.JoinExpr.larg, parent, items, quals);
      fromItem(n.JoinExpr.rarg, parent, items, quals);
      if (n.JoinExpr.quals) quals.push(n.JoinExpr.quals);
    } else if (n?.RangeSubselect) {
      walk(n.RangeSubselect.subquery, parent);
      if (n.RangeSubselect.alias) items.push({ ref: n.RangeSubselect.alias.aliasname, aliased: true });
    } else {
      walk(n, parent);
      const alias = n?.RangeFunction?.alias?.aliasname;
      if (alias) items.push({ ref: alias, aliased: true });
    }
  };

  const select = (sel: Ast, parent: Scope | undefined): void => {
    walk(sel.withClause, parent);
    if (sel.larg || sel.rarg) { walk(sel.larg ? { SelectStmt: sel.larg } : null, parent); walk(sel.rarg ? { SelectStmt: sel.rarg } : null, parent); return; }
    const scope: Scope = { items: [], parent };
    const quals: Ast[] = [];
    for (const f of sel.fromClause ?? []) fromItem(f, parent, scope.items, quals);
    for (const t of sel.targetList ?? []) {
      const rt = t.ResTarget;
      if (rt?.val?.ColumnRef) columnRef(rt.val.ColumnRef, scope, !rt.name);
      else walk(rt?.val, scope);
    }
    for (const part of [quals, sel.whereClause, sel.groupClause, sel.havingClause, sel.sortClause, sel.windowClause, sel.distinctClause, sel.valuesLists]) walk(part, scope);
  };

  walk(query, undefined);
  return edits.length ? withEdits(sql, edits) : undefined;
}

/** A view's statement with `edits` made (byte ranges, in any order) and its query re-read. */
function withEdits(sql: string, edits: Edit[]): { sql: string; query: Ast } | undefined {
  const bytes = Buffer.from(sql, 'utf8');
  let out = '';
  let pos = 0;
  for (const e of [...edits].sort((a, b) => a.at - b.at || a.end - b.end)) {
    out += bytes.toString('utf8', pos, e.at) + e.text;
    pos = e.end;
  }
  out += bytes.toString('utf8', pos);
  const next = viewQuery(out);
  return next ? { sql: out, query: next } : undefined;
}

/**
 * The end of the `*` token of a reference that starts at byte `at` (`*`, `t.*`, `"a b".*`): the
 * scanner reads from there, a short piece first, the rest of the text when the piece cuts a quote.
 */
function starEnd(bytes: Buffer, at: number): number | undefined {
  if (at < 0 || at >= bytes.length) return undefined;
  for (const len of [256, bytes.length - at]) {
    const tokens = tokensOf(bytes.toString('utf8', at, Math.min(bytes.length, at + len)));
    const star = tokens?.find((t) => t.text === '*');
    if (star) return at + star.end;
  }
  return undefined;
}

/** A select-list entry that is `*` or `x.*`. */
function isStar(t: Ast): boolean {
  return Boolean(t.ResTarget?.val?.ColumnRef?.fields?.some((f: Ast) => f.A_Star));
}

/** The query of a CREATE [MATERIALIZED] VIEW statement. */
function viewQuery(sql: string): Ast | undefined {
  try {
    const stmt = parseSync(sql).stmts?.[0]?.stmt as Ast | undefined;
    return stmt?.ViewStmt?.query ?? stmt?.CreateTableAsStmt?.query;
  } catch {
    return undefined;
  }
}

/**
 * A view's CREATE statement with each `*` of its top-level select list written out as the
 * columns it means when the view is created, as PostgreSQL stores a view: columns added later
 * are not in it, and a rename under it keeps the view's output names. Undefined when there is
 * no `*`, or when one cannot be resolved for sure (a FROM item other than a table whose columns
 * are known, a join USING or NATURAL, a set operation). `columnsOf` gives a table's columns.
 */
export function expandViewStars(sql: string, relKey: (rv: Ast) => string, columnsOf: (key: string) => readonly string[] | undefined, parsed: { query: Ast; offset: number }): { sql: string; query: Ast } | undefined {
  // The statement's own tree: its locations are `offset` bytes past the text's.
  const { query, offset } = parsed;
  const sel = query?.SelectStmt;
  if (!sel || sel.larg || sel.rarg) return undefined;
  const stars = (sel.targetList ?? []).filter(isStar);
  if (!stars.length) return undefined;
  const items: { ref: string; columns: readonly string[] }[] = [];
  const collect = (n: Ast): boolean => {
    if (n?.RangeVar) {
      const columns = columnsOf(relKey(n.RangeVar));
      if (!columns) return false;
      items.push({ ref: n.RangeVar.alias?.aliasname ?? n.RangeVar.relname, columns });
      return true;
    }
    if (n?.JoinExpr) return !n.JoinExpr.usingClause?.length && !n.JoinExpr.isNatural && !n.JoinExpr.alias && collect(n.JoinExpr.larg) && collect(n.JoinExpr.rarg);
    return false;
  };
  if (!(sel.fromClause ?? []).every(collect) || !items.length) return undefined;
  const bytes = Buffer.from(sql, 'utf8');
  const edits: Edit[] = [];
  for (const t of stars) {
    const cr = t.ResTarget.val.ColumnRef;
    const names: (string | undefined)[] = (cr.fields ?? []).map((f: Ast) => f.String?.sval);
    const at = cr.location - offset;
    const end = starEnd(bytes, at);
    if (end === undefined) return undefined;
    const qualifier = names.length >= 2 ? names[names.length - 2] : undefined;
    const from = qualifier === undefined ? items : items.filter((x) => x.ref === qualifier);
    if (!from.length) return undefined;
    const qualify = qualifier !== undefined || items.length > 1;
    const list = from.flatMap((x) => x.columns.map((c) => (qualify ? `${identSql(x.ref)}.${identSql(c)}` : identSql(c))));
    edits.push({ at, end, text: list.join(', ') });
  }
  return withEdits(sql, edits);
}
