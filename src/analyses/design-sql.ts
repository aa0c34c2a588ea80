/**
 * What SQL written in a design may be sent to PostgreSQL, by what it is for. Each piece must
 * be exactly one statement of a kind its purpose needs, read by the real parser; the prover
 * sends that one statement (with the extended protocol) and nothing else. A `COMMIT` or a
 * `SET ROLE` in a design would let the SQL leave the rolled-back transaction (or the role) a
 * claim is proven in, so it is refused with a reason, never run.
 */
import type { Catalog } from '../catalog/model.js';
import type { Design } from '../load/design/types.js';
import { parseSync } from '../load/sql/pg.js';
import { constValue, exprKey, strList, walk } from '../load/sql/ast.js';
import type { Ast } from '../types.js';
import { parseDesignSql } from './query.js';

/** access-pattern: one data statement; query: one SELECT (drift and validation); violation: one step of a violation. */
export type DesignSqlPurpose = 'access-pattern' | 'query' | 'violation';

/** Why a piece is refused: templates filled from `data` (the rule prefixes its owner). */
export const REFUSALS = {
  syntax: 'does not parse: {message}',
  empty: 'holds no SQL statement',
  multipleStatements: 'holds {count} statements; exactly one is sent for each item',
  transactionControl: 'controls the transaction ({statement}); a claim runs in a transaction the prover rolls back',
  roleSwitch: 'switches the role ({statement}); the prover alone decides which role runs a claim',
  resetAll: 'is RESET ALL, which undoes the settings the prover runs the claim under',
  notData: 'is {statement}, not {allowed}',
  dataModifyingCte: 'writes in a WITH query ({statement}); {purpose} only reads',
  selectInto: 'is SELECT INTO, which creates a table; {purpose} does not change the schema',
  lockingRead: 'locks the rows it reads (FOR UPDATE/SHARE); {purpose} only reads',
  unknownProcedure: 'calls procedure {name}, which the schema does not define',
  settingName: 'is not a custom parameter name (prefix.name, such as app.tenant_id)',
} as const;
export type RefusalId = keyof typeof REFUSALS;

export interface SafeStatement {
  readonly ok: true;
  /** The statement's parse tree. */
  readonly stmt: Ast;
  /** Its text alone (`:name` written `$n`), without the `;` or comments after it. */
  readonly text: string;
  readonly params: readonly string[];
}

export interface Refusal {
  readonly ok: false;
  readonly messageId: RefusalId;
  readonly data: Readonly<Record<string, string>>;
}

const PURPOSE_NAME: Record<DesignSqlPurpose, string> = {
  'access-pattern': 'an access pattern',
  query: 'a drift or validation query',
  violation: 'a violation statement',
};

const ALLOWED: Record<DesignSqlPurpose, string> = {
  'access-pattern': 'one SELECT, INSERT, UPDATE, DELETE or MERGE',
  query: 'one SELECT (a drift or validation query only reads)',
  violation: 'one SELECT, INSERT, UPDATE, DELETE or MERGE, a SET of a parameter, or a CALL of a procedure of the schema',
};

const DATA = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

function refuse(messageId: RefusalId, data: Record<string, string> = {}): Refusal {
  return { ok: false, messageId, data };
}

/** The reason in words, for a claim the prover leaves unproven. */
export function refusalText(r: Refusal): string {
  return REFUSALS[r.messageId].replace(/\{(\w+)\}/g, (_, k: string) => r.data[k] ?? '');
}

/** `CreateTableAsStmt` -> `CREATE TABLE AS`; transaction statements by their own words. */
export function statementName(stmt: Ast): string {
  const kind = Object.keys(stmt ?? {})[0] ?? 'unknown';
  if (kind === 'TransactionStmt') {
    const k = String(stmt.TransactionStmt.kind ?? '').replace(/^TRANS_STMT_/, '');
    const words: Record<string, string> = { ROLLBACK_TO: 'ROLLBACK TO SAVEPOINT', RELEASE: 'RELEASE SAVEPOINT', PREPARE: 'PREPARE TRANSACTION', START: 'START TRANSACTION' };
    return words[k] ?? k.replace(/_/g, ' ');
  }
  return NODE_WORDS[kind] ?? kind.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}

/** Node kinds whose name is not the statement's words. */
const NODE_WORDS: Record<string, string> = {
  CreateStmt: 'CREATE TABLE', IndexStmt: 'CREATE INDEX', ViewStmt: 'CREATE VIEW', VariableShowStmt: 'SHOW',
  CreateFunctionStmt: 'CREATE FUNCTION', VacuumStmt: 'VACUUM or ANALYZE', GrantStmt: 'GRANT or REVOKE', RenameStmt: 'ALTER ... RENAME',
};

/** SET and RESET: ordinary parameters only. */
function variableSetProblem(v: Ast): Refusal | undefined {
  const name = String(v.name ?? '').toLowerCase();
  if (v.kind === 'VAR_RESET_ALL') return refuse('resetAll');
  if (v.kind === 'VAR_SET_MULTI') return refuse('transactionControl', { statement: `SET ${v.name}` });
  const verb = v.kind === 'VAR_RESET' ? 'RESET' : 'SET';
  if (name === 'role') return refuse('roleSwitch', { statement: `${verb} ROLE` });
  if (name === 'session_authorization') return refuse('roleSwitch', { statement: `${verb} SESSION AUTHORIZATION` });
  return undefined;
}

function callProblem(call: Ast, catalog: Catalog | undefined): Refusal | undefined {
  const names = strList(call.funccall?.funcname);
  const name = names[names.length - 1];
  const schema = names.length > 1 ? names[names.length - 2] : undefined;
  const known = [...(catalog?.functions.values() ?? [])].some((f) => f.isProcedure && f.name === name && (!schema || f.schema === schema));
  return known ? undefined : refuse('unknownProcedure', { name: names.join('.') });
}

/** The kind of the top statement against the purpose. */
function statementProblem(stmt: Ast, purpose: DesignSqlPurpose, catalog: Catalog | undefined): Refusal | undefined {
  const kind = Object.keys(stmt ?? {})[0] ?? '';
  const notData = (): Refusal => refuse('notData', { statement: statementName(stmt), allowed: ALLOWED[purpose] });
  if (kind === 'TransactionStmt') return refuse('transactionControl', { statement: statementName(stmt) });
  if (kind === 'VariableSetStmt') return variableSetProblem(stmt.VariableSetStmt) ?? (purpose === 'violation' ? undefined : notData());
  if (kind === 'CallStmt') return purpose === 'violation' ? callProblem(stmt.CallStmt, catalog) : notData();
  if (!DATA.has(kind) || (purpose === 'query' && kind !== 'SelectStmt')) return notData();
  return undefined;
}

/** What hides inside a statement: set_config of the role, SELECT INTO, and for queries writes or row locks. */
function treeProblem(stmt: Ast, purpose: DesignSqlPurpose): Refusal | undefined {
  let found: Refusal | undefined;
  const note = (r: Refusal): void => { found ??= r; };
  walk(stmt, (key, node) => {
    if (key === 'FuncCall' && strList(node.funcname).pop()?.toLowerCase() === 'set_config') {
      const setting = constValue(node.args?.[0]);
      if (typeof setting !== 'string' || ['role', 'session_authorization'].includes(setting.toLowerCase())) note(refuse('roleSwitch', { statement: 'set_config' }));
    }
    if (key === 'SelectStmt' && node.intoClause) note(refuse('selectInto', { purpose: PURPOSE_NAME[purpose] }));
    if (purpose !== 'query') return;
    if (key === 'CommonTableExpr' && !node.ctequery?.SelectStmt) note(refuse('dataModifyingCte', { statement: statementName(node.ctequery), purpose: PURPOSE_NAME[purpose] }));
    if (key === 'SelectStmt' && node.lockingClause?.length) note(refuse('lockingRead', { purpose: PURPOSE_NAME[purpose] }));
  });
  return found;
}

/**
 * Classifies one piece of design SQL for its purpose: the single statement to send, or why
 * not. `catalog` tells which procedures a violation may CALL.
 */
export function classifyDesignSql(sql: string, purpose: DesignSqlPurpose, catalog?: Catalog): SafeStatement | Refusal {
  const parsed = parseDesignSql(sql);
  if (!parsed.ok) return parsed.message === 'no SQL statement' ? refuse('empty') : refuse('syntax', { message: parsed.message });
  if (parsed.stmts.length > 1) return refuse('multipleStatements', { count: String(parsed.stmts.length) });
  const stmt = parsed.stmts[0];
  const problem = statementProblem(stmt, purpose, catalog) ?? treeProblem(stmt, purpose);
  if (problem) return problem;
  const span = parsed.spans[0]!;
  const bytes = Buffer.from(parsed.prepared.text, 'utf8');
  const text = bytes.subarray(span.start, span.length ? span.start + span.length : bytes.length).toString('utf8').trimEnd();
  return { ok: true, stmt, text, params: parsed.prepared.params };
}

/**
 * PostgreSQL's rule for a custom parameter's name (guc.c, valid_custom_variable_name): two
 * or more parts joined by dots, each a letter, `_` or non-ASCII character followed by
 * those, digits or `$`.
 */
const PART = '[A-Za-z_\\u0080-\\u{10FFFF}][A-Za-z0-9_$\\u0080-\\u{10FFFF}]*';
const CUSTOM_SETTING = new RegExp(`^${PART}(?:\\.${PART})+$`, 'u');

export function settingNameProblem(name: string): Refusal | undefined {
  return CUSTOM_SETTING.test(name) ? undefined : refuse('settingName', { name });
}

/** Prover text around a validated statement, kept only when it parses to one statement holding exactly that tree. */
function embedded(before: string, s: SafeStatement, after: string, locate: (stmt: Ast) => Ast): string | undefined {
  const text = `${before}${s.text}\n${after}`;
  let stmts;
  try {
    stmts = parseSync(text).stmts ?? [];
  } catch {
    return undefined;
  }
  if (stmts.length !== 1) return undefined;
  const inner = locate(stmts[0]!.stmt as Ast);
  return inner && exprKey(inner) === exprKey(s.stmt) ? text : undefined;
}

/** `EXPLAIN (<options>) statement`; `options` are the prover's own. */
export function explainOf(s: SafeStatement, options: string): string | undefined {
  return embedded(`EXPLAIN (${options}) `, s, '', (t) => t.ExplainStmt?.query);
}

/** `PREPARE name AS statement`, to read the types PostgreSQL infers for its parameters. */
export function prepareOf(s: SafeStatement, name: string): string | undefined {
  return embedded(`PREPARE ${name} AS `, s, '', (t) => t.PrepareStmt?.query);
}

/** The first `limit` rows of a SELECT: `SELECT * FROM (statement) AS design_query LIMIT n`. */
export function firstRowsOf(s: SafeStatement, limit: number): string | undefined {
  const locate = (t: Ast): Ast => (t.SelectStmt?.fromClause?.length === 1 ? t.SelectStmt.fromClause[0].RangeSubselect?.subquery : undefined);
  return embedded('SELECT * FROM (\n', s, `) AS design_query LIMIT ${Math.trunc(limit)}`, locate);
}

export interface DesignSqlPiece {
  readonly sql: string;
  /** JSON pointer of the YAML node. */
  readonly path: string;
  /** The design item it belongs to (Q-001, INV-002, migration.validation). */
  readonly owner: string;
  /** What it is sent for; migration steps are never sent (they describe states before the schema). */
  readonly purpose?: DesignSqlPurpose;
}

/** Every SQL text a design holds, where it is, and what it is for. */
export function designSqlPieces(d: Design): DesignSqlPiece[] {
  const out: DesignSqlPiece[] = [];
  (d.access_patterns ?? []).forEach((q, i) => { if (typeof q.sql === 'string') out.push({ sql: q.sql, path: `/access_patterns/${i}/sql`, owner: q.id ?? `access_patterns[${i}]`, purpose: 'access-pattern' }); });
  (d.invariants ?? []).forEach((inv, i) => {
    const owner = inv.id ?? `invariants[${i}]`;
    if (typeof inv.drift_query === 'string') out.push({ sql: inv.drift_query, path: `/invariants/${i}/drift_query`, owner, purpose: 'query' });
    (Array.isArray(inv.violation) ? inv.violation : []).forEach((v, j) => { if (typeof v === 'string') out.push({ sql: v, path: `/invariants/${i}/violation/${j}`, owner, purpose: 'violation' }); });
  });
  const m = d.migration;
  if (typeof m?.backfill?.validation_query === 'string') out.push({ sql: m.backfill.validation_query, path: '/migration/backfill/validation_query', owner: 'migration.backfill', purpose: 'query' });
  (Array.isArray(m?.validation) ? m!.validation : []).forEach((v, j) => { if (typeof v === 'string') out.push({ sql: v, path: `/migration/validation/${j}`, owner: 'migration.validation', purpose: 'query' }); });
  (Array.isArray(m?.steps) ? m!.steps : []).forEach((s, j) => { if (typeof s?.sql === 'string') out.push({ sql: s.sql, path: `/migration/steps/${j}/sql`, owner: `migration.steps[${j}]` }); });
  return out;
}
