/**
 * DO blocks: migrations often wrap DDL in PL/pgSQL to run it only when needed ("if the column
 * still exists, rename it"). The block is parsed with PL/pgSQL's own parser; its SQL statements
 * are applied in order, each located where it stands in the file. An IF whose condition asks
 * the system catalogs whether something exists (information_schema.columns / tables /
 * table_constraints, pg_tables, pg_indexes, pg_constraint, pg_type, pg_class, pg_extension,
 * pg_namespace) is decided against the catalog built so far; any other condition, a loop or a
 * dynamic EXECUTE of a computed string is listed as unmodelled, its statements left out.
 */
import type { Ast } from '../../types.js';
import { parseExpression, statementsIn, type Statement } from '../../load/sql/parse.js';
import { parsePlpgsqlSync } from '../../load/sql/pg.js';
import { conjuncts, constValue, str, stripCasts, strList } from '../../load/sql/ast.js';
import type { Draft } from '../draft.js';

type Apply = (stmt: Statement) => void;

/** Equality conditions `column = 'value'` of a WHERE clause joined by AND. */
function equalities(where: Ast): Map<string, string> {
  const out = new Map<string, string>();
  for (const term of conjuncts(where)) {
    const e = term.A_Expr;
    if (e?.kind !== 'AEXPR_OP' || strList(e.name).join('') !== '=') continue;
    const [col, val] = e.lexpr?.ColumnRef ? [e.lexpr, e.rexpr] : [e.rexpr, e.lexpr];
    const fields: Ast[] = col?.ColumnRef?.fields ?? [];
    const c = constValue(stripCasts(val));
    if (fields.length && typeof c === 'string') out.set(str(fields[fields.length - 1]).toLowerCase(), c);
  }
  return out;
}

/** Whether an EXISTS (SELECT ... FROM <catalog view> WHERE ...) holds in the catalog so far; undefined when not such a query. */
function existsInCatalog(d: Draft, sel: Ast): boolean | undefined {
  const from: Ast[] = sel?.fromClause ?? [];
  const rv = from.length === 1 ? from[0]?.RangeVar : undefined;
  if (!rv) return undefined;
  const rel = String(rv.relname).toLowerCase();
  const w = equalities(sel.whereClause);
  const schema = w.get('table_schema') ?? w.get('schemaname') ?? w.get('constraint_schema');
  const inSchema = (s: string): boolean => !schema || s === schema;
  const tables = [...d.tables.values()];
  const relations = [...tables, ...d.views.values()];
  switch (rel) {
    case 'columns': {
      const t = w.get('table_name'); const c = w.get('column_name');
      if (!t || !c) return undefined;
      return tables.some((x) => x.name === t && inSchema(x.schema) && x.columns.some((k) => k.name === c));
    }
    case 'tables': {
      const t = w.get('table_name');
      return t ? relations.some((x) => x.name === t && inSchema(x.schema)) : undefined;
    }
    case 'pg_tables': {
      const t = w.get('tablename');
      return t ? tables.some((x) => x.name === t && inSchema(x.schema)) : undefined;
    }
    case 'pg_indexes': {
      const i = w.get('indexname');
      return i ? [...d.indexes.values()].some((x) => x.name === i && inSchema(x.schema)) : undefined;
    }
    case 'table_constraints': case 'pg_constraint': {
      const n = w.get('constraint_name') ?? w.get('conname');
      return n ? tables.some((x) => x.constraints.some((c) => c.name === n)) : undefined;
    }
    case 'pg_type': {
      const n = w.get('typname');
      return n ? [...d.enums.values(), ...d.domains.values()].some((x) => x.name === n) : undefined;
    }
    case 'pg_class': {
      const n = w.get('relname');
      return n ? relations.some((x) => x.name === n) || [...d.indexes.values(), ...d.sequences.values()].some((x) => x.name === n) : undefined;
    }
    case 'pg_extension': {
      const n = w.get('extname');
      return n ? d.extensions.has(n) : undefined;
    }
    case 'pg_namespace': case 'schemata': {
      const n = w.get('nspname') ?? w.get('schema_name');
      return n ? d.schemas.has(n) : undefined;
    }
    default: return undefined;
  }
}

/** A condition's truth against the catalog: EXISTS / NOT EXISTS over catalog views, AND, OR, NOT. */
function decide(d: Draft, node: Ast): boolean | undefined {
  const b = node?.BoolExpr;
  if (b) {
    const args = (b.args ?? []).map((a: Ast) => decide(d, a));
    if (b.boolop === 'NOT_EXPR') return args[0] === undefined ? undefined : !args[0];
    if (b.boolop === 'AND_EXPR') return args.includes(false) ? false : args.includes(undefined) ? undefined : true;
    if (b.boolop === 'OR_EXPR') return args.includes(true) ? true : args.includes(undefined) ? undefined : false;
  }
  const link = node?.SubLink;
  if (link?.subLinkType === 'EXISTS_SUBLINK') return existsInCatalog(d, link.subselect?.SelectStmt);
  return undefined;
}

/** Applies the schema changes a DO block makes. */
export function applyDo(d: Draft, stmt: Statement, apply: Apply): void {
  const language = (stmt.ast.args ?? []).find((a: Ast) => a.DefElem?.defname === 'language')?.DefElem?.arg;
  if (language && str(language).toLowerCase() !== 'plpgsql') { d.unmodelledHere(`DO block in ${str(language)} is not modelled`); return; }
  const text = stmt.source.slice(stmt.start, stmt.end);
  let fn: Ast | undefined;
  try {
    fn = parsePlpgsqlSync(text).plpgsql_funcs?.[0]?.PLpgSQL_function;
  } catch (e) {
    d.unmodelledHere(`DO block does not parse as PL/pgSQL: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    return;
  }
  // Where each embedded statement starts in the file: searched in order in the block's text.
  let cursor = 0;
  const run = (sql: string): void => {
    const at = text.indexOf(sql, cursor);
    if (at === -1) { d.unmodelledHere('DO block: a statement not written verbatim in it (a quoted EXECUTE string) is left out'); return; }
    cursor = at + sql.length;
    const start = stmt.start + Buffer.byteLength(text.slice(0, at));
    const inner = statementsIn(stmt.source, start, start + Buffer.byteLength(sql));
    if (inner.problems.length) d.unmodelledHere('a statement in a DO block does not parse');
    for (const s of inner.statements) {
      apply(s);
      d.stmt = stmt;
    }
  };
  const visit = (list: Ast[] | undefined): void => {
    for (const node of list ?? []) {
      const kind = Object.keys(node ?? {})[0] ?? '';
      const n = node[kind];
      switch (kind) {
        case 'PLpgSQL_stmt_execsql': run(String(n.sqlstmt?.PLpgSQL_expr?.query ?? '')); break;
        case 'PLpgSQL_stmt_block': visit(n.body); break;
        case 'PLpgSQL_stmt_if': {
          const branches: { cond: string; body: Ast[] }[] = [
            { cond: String(n.cond?.PLpgSQL_expr?.query ?? ''), body: n.then_body ?? [] },
            ...(n.elsif_list ?? []).map((e: Ast) => ({ cond: String(e.PLpgSQL_if_elsif?.cond?.PLpgSQL_expr?.query ?? ''), body: e.PLpgSQL_if_elsif?.stmts ?? [] })),
          ];
          let taken = false;
          for (const b of branches) {
            const v = decide(d, parseExpression(b.cond));
            if (v === undefined) { d.unmodelledHere(`DO block: the condition "${b.cond.replace(/\s+/g, ' ').slice(0, 80)}" is not decided; its statements are left out`); taken = true; break; }
            if (v) { visit(b.body); taken = true; break; }
          }
          if (!taken) visit(n.else_body);
          break;
        }
        case 'PLpgSQL_stmt_dynexecute': {
          const q = String(n.query?.PLpgSQL_expr?.query ?? '');
          const literal = constValue(parseExpression(q));
          if (typeof literal === 'string') run(literal);
          else d.unmodelledHere('DO block: EXECUTE of a computed string is not modelled');
          break;
        }
        case 'PLpgSQL_stmt_fori': case 'PLpgSQL_stmt_fors': case 'PLpgSQL_stmt_forc': case 'PLpgSQL_stmt_foreach_a':
        case 'PLpgSQL_stmt_loop': case 'PLpgSQL_stmt_while': case 'PLpgSQL_stmt_dynfors':
          d.unmodelledHere('DO block: a loop is not modelled');
          break;
        default: break; // RAISE, PERFORM, assignments, RETURN: no schema effect.
      }
    }
  };
  visit((fn?.action as Ast)?.PLpgSQL_stmt_block?.body);
}
