/**
 * Keeps stored SQL true after a rename. The catalog keeps the statement that
 * created a function, trigger or view so `plan` can write it back; once the object (or the
 * function a trigger runs) is renamed, the name in that text is rewritten, over PostgreSQL's
 * own scanner tokens, so the statement re-creates the object under its current name.
 */
import { identSql } from '../load/sql/ast.js';
import { lazyExpr } from './draft.js';
import { scanSync, type ScanToken } from '../load/sql/pg.js';
import type { Ast } from '../types.js';
import type { Expr } from './model.js';

/** A name part: an identifier or a keyword PostgreSQL accepts as one. */
function isNamePart(t: ScanToken | undefined): boolean {
  return Boolean(t) && (t!.tokenName === 'IDENT' || (t!.keywordKind !== 0 && t!.keywordName !== 'RESERVED_KEYWORD'));
}

/**
 * The last part of the (possibly qualified) name starting at token `i`: the token to replace.
 * Undefined when no name starts there.
 */
function lastNamePart(tokens: readonly ScanToken[], i: number): ScanToken | undefined {
  if (!isNamePart(tokens[i])) return undefined;
  let last = tokens[i]!;
  while (tokens[i + 1]?.text === '.' && isNamePart(tokens[i + 2])) { last = tokens[i + 2]!; i += 2; }
  return last;
}

function replaceToken(sql: string, t: ScanToken, name: string): string {
  const bytes = Buffer.from(sql, 'utf8');
  return `${bytes.toString('utf8', 0, t.start)}${identSql(name)}${bytes.toString('utf8', t.end)}`;
}

function tokensOf(sql: string): readonly ScanToken[] | undefined {
  try { return scanSync(sql).tokens; } catch { return undefined; }
}

/**
 * `sql` (a CREATE FUNCTION, PROCEDURE, TRIGGER or VIEW statement) with the created object's
 * name replaced by `name`; unchanged when the statement's shape is not the one expected.
 */
export function renameCreated(sql: string, name: string): string {
  const tokens = tokensOf(sql);
  if (!tokens) return sql;
  const kinds = new Set(['function', 'procedure', 'trigger', 'view']);
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
