/**
 * What a policy expression does with the tenant setting (`current_setting('app.tenant_id')`):
 * the OR branches that let rows through without reading it, and whether the expression is
 * true for every row when the setting is missing (unset: NULL with missing_ok, an error
 * without; or ''), by evaluating it with PostgreSQL's three-valued logic, columns unknown.
 * Shared by rls-policy-bypass-branch and rls-policy-fails-open.
 */
import type { Statement } from '../load/sql/parse.js';
import { constValue, exprKey, funcName, minLocation, strList } from '../load/sql/ast.js';
import type { Ast, Loc } from '../types.js';

/** The tenant setting's name (from the design), or undefined: then every current_setting() counts. */
export type SettingName = string | undefined;

function settingCall(node: Ast, setting: SettingName): { missingOk: boolean } | undefined {
  if (funcName(node) !== 'current_setting') return undefined;
  const args: Ast[] = node.FuncCall.args ?? [];
  const name = constValue(args[0]);
  if (typeof name !== 'string' || (setting !== undefined && name !== setting)) return undefined;
  return { missingOk: constValue(args[1]) === true };
}

export function readsSetting(node: Ast, setting: SettingName): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some((n) => readsSetting(n, setting));
  if (settingCall(node, setting)) return true;
  return Object.values(node).some((v) => v && typeof v === 'object' && readsSetting(v, setting));
}

function boolArgs(node: Ast, op: 'AND_EXPR' | 'OR_EXPR'): Ast[] | undefined {
  return node?.BoolExpr?.boolop === op ? node.BoolExpr.args ?? [] : undefined;
}

/** Whether every row the expression admits is tied to the setting: an AND with a bound term, an OR of bound branches, a term reading it. */
function bound(node: Ast, setting: SettingName): boolean {
  const and = boolArgs(node, 'AND_EXPR');
  if (and) return and.some((a) => bound(a, setting));
  const or = boolArgs(node, 'OR_EXPR');
  if (or) return or.every((a) => bound(a, setting));
  return readsSetting(node, setting);
}

/** The OR branches that admit rows without reading the setting, in an expression that reads it elsewhere. */
export function bypassBranches(node: Ast, setting: SettingName): Ast[] {
  if (!readsSetting(node, setting) || bound(node, setting)) return [];
  const or = boolArgs(node, 'OR_EXPR');
  if (or) return or.flatMap((a) => (bound(a, setting) ? [] : readsSetting(a, setting) ? bypassBranches(a, setting) : [a]));
  const and = boolArgs(node, 'AND_EXPR');
  if (and) return and.flatMap((a) => bypassBranches(a, setting));
  return [];
}

/** A value in the evaluation: SQL NULL, a known constant, an error raised, or a row-dependent expression. */
type Val = { k: 'null' } | { k: 'const'; v: string | number | boolean } | { k: 'error' } | { k: 'expr'; key: string };

const NULL: Val = { k: 'null' };
const ERROR: Val = { k: 'error' };
const bool = (v: boolean): Val => ({ k: 'const', v });
const expr = (node: Ast): Val => ({ k: 'expr', key: exprKey(node) });
const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar', 'citext', 'name']);

export type MissingState = 'unset' | 'empty';

function evalCast(node: Ast, setting: SettingName, state: MissingState): Val {
  const v = evaluate(node.TypeCast.arg, setting, state);
  const names = strList(node.TypeCast.typeName?.names);
  const type = names[names.length - 1]?.toLowerCase() ?? '';
  if (v.k !== 'const' || typeof v.v !== 'string') return v.k === 'expr' ? expr(node) : v;
  if (TEXT_TYPES.has(type)) return v;
  if (type === 'bool') return /^(t|true|on|yes|1)$/i.test(v.v) ? bool(true) : /^(f|false|off|no|0)$/i.test(v.v) ? bool(false) : ERROR;
  // '' is no valid uuid, number, date or json: the cast raises an error, which denies.
  return v.v === '' ? ERROR : expr(node);
}

function evalOp(node: Ast, setting: SettingName, state: MissingState): Val {
  const a = node.A_Expr;
  const l = evaluate(a.lexpr, setting, state);
  const r = evaluate(a.rexpr, setting, state);
  if (a.kind === 'AEXPR_NULLIF') {
    if (l.k === 'null' || l.k === 'error') return l;
    if (l.k === 'const' && r.k === 'const') return l.v === r.v ? NULL : l;
    return expr(node);
  }
  if (a.kind !== 'AEXPR_OP') return l.k === 'error' || r.k === 'error' ? ERROR : expr(node);
  if (l.k === 'error' || r.k === 'error') return ERROR;
  if (l.k === 'null' || r.k === 'null') return NULL;
  const op = strList(a.name).join('.');
  if (l.k === 'const' && r.k === 'const' && (op === '=' || op === '<>' || op === '!=')) return bool((l.v === r.v) === (op === '='));
  // The same row-dependent value on both sides (`tenant_id = coalesce(NULL, tenant_id)`).
  if (l.k === 'expr' && r.k === 'expr' && l.key === r.key && (op === '=' || op === '<>' || op === '!=')) return bool(op === '=');
  return expr(node);
}

function evalBool(node: Ast, setting: SettingName, state: MissingState): Val {
  const b = node.BoolExpr;
  const args: Val[] = (b.args ?? []).map((x: Ast) => evaluate(x, setting, state));
  if (b.boolop === 'NOT_EXPR') {
    const v = args[0] ?? NULL;
    return v.k === 'const' ? bool(!v.v) : v.k === 'expr' ? expr(node) : v;
  }
  const decisive = b.boolop === 'OR_EXPR';
  // Arguments are evaluated in order and stop at the first decisive one.
  for (const v of args) {
    if (v.k === 'error') return ERROR;
    if (v.k === 'const' && v.v === decisive) return bool(decisive);
  }
  if (args.some((v) => v.k === 'expr')) return expr(node);
  if (args.some((v) => v.k === 'null')) return NULL;
  return bool(!decisive);
}

function evalCall(node: Ast, setting: SettingName, state: MissingState): Val {
  const call = settingCall(node, setting);
  if (call) return state === 'empty' ? { k: 'const', v: '' } : call.missingOk ? NULL : ERROR;
  const args: Ast[] = node.FuncCall.args ?? [];
  return args.some((x) => evaluate(x, setting, state).k === 'error') ? ERROR : expr(node);
}

function evaluate(node: Ast, setting: SettingName, state: MissingState): Val {
  if (node?.A_Const) {
    const v = constValue(node);
    return v === null || v === undefined ? NULL : { k: 'const', v };
  }
  if (node?.TypeCast) return evalCast(node, setting, state);
  if (node?.FuncCall) return evalCall(node, setting, state);
  if (node?.A_Expr) return evalOp(node, setting, state);
  if (node?.BoolExpr) return evalBool(node, setting, state);
  if (node?.CoalesceExpr) {
    for (const x of node.CoalesceExpr.args ?? []) {
      const v = evaluate(x, setting, state);
      if (v.k !== 'null') return v;
    }
    return NULL;
  }
  if (node?.NullTest) {
    const v = evaluate(node.NullTest.arg, setting, state);
    const isNull = node.NullTest.nulltesttype !== 'IS_NOT_NULL';
    if (v.k === 'error' || v.k === 'expr') return v.k === 'error' ? ERROR : expr(node);
    return bool((v.k === 'null') === isNull);
  }
  return expr(node);
}

/** Whether the expression is true for every row with the setting in `state`. */
export function trueWhenMissing(node: Ast, setting: SettingName, state: MissingState): boolean {
  if (!readsSetting(node, setting)) return false;
  const v = evaluate(node, setting, state);
  return v.k === 'const' && v.v === true;
}

const clauseStatements = new WeakMap<readonly Statement[], Map<Ast, Statement>>();

/**
 * Where `node` (inside a policy's USING or WITH CHECK clause `clause`) was written: the
 * CREATE or ALTER POLICY that set the clause, or `fallback` (a policy made in a DO block).
 */
export function locInClause(statements: readonly Statement[], clause: Ast, node: Ast, fallback: Loc): Loc {
  let map = clauseStatements.get(statements);
  if (!map) {
    map = new Map();
    for (const s of statements) {
      if (s.kind !== 'CreatePolicyStmt' && s.kind !== 'AlterPolicyStmt') continue;
      if (s.ast.qual) map.set(s.ast.qual, s);
      if (s.ast.with_check) map.set(s.ast.with_check, s);
    }
    clauseStatements.set(statements, map);
  }
  const s = map.get(clause);
  const at = minLocation(node);
  return s && at !== undefined ? s.source.locAt(s.astBase + at) : fallback;
}
