/**
 * Applies the parsed schema, statement by statement, so each failure has its location. On a
 * server every statement runs as the throwaway role; statements with cluster-wide effect are
 * skipped with their line, and the schema's roles are made by the prover (engine.createRole).
 */
import type { Statement } from '../load/sql/parse.js';
import type { Loc } from '../types.js';
import { clusterWideReason } from './cluster-wide.js';
import type { Engine, RoleOutcome } from './engine.js';
import { asDbError } from './engine.js';

export interface ApplyFailure { readonly loc: Loc; readonly code?: string; readonly message: string; readonly statement: string }

export interface ApplyResult {
  readonly file: string;
  readonly applied: number;
  readonly skipped: { loc: Loc; reason: string }[];
  readonly failures: ApplyFailure[];
}

/** Statements that make no sense in a throwaway proof database, on any engine. */
function skipReason(s: Statement): string | undefined {
  switch (s.kind) {
    case 'TransactionStmt': return 'transaction control is handled by the prover';
    case 'CopyStmt': return 'COPY is not run; the generator fills tables';
    case 'CreatedbStmt': case 'DropdbStmt': case 'AlterDatabaseStmt': case 'AlterDatabaseSetStmt': return 'database-level statement';
    case 'AlterSystemStmt': return 'server configuration';
    default: return undefined;
  }
}

/** Extensions the server will not let a database owner create (dblink, postgres_fdw, file_fdw ...). */
async function untrustedExtension(engine: Engine, s: Statement): Promise<string | undefined> {
  if (s.kind !== 'CreateExtensionStmt' || engine.kind !== 'server') return undefined;
  const r = await engine.query('SELECT bool_or(trusted) AS trusted, bool_or(superuser) AS superuser FROM pg_available_extension_versions WHERE name = $1', [s.ast.extname]);
  const row = r.rows[0];
  if (row?.trusted === null || row?.trusted === undefined) return undefined; // not available: CREATE EXTENSION says so
  return row.trusted ? undefined : `extension ${s.ast.extname} is not trusted (it needs a superuser and can reach outside the database): not run`;
}

async function roleStatement(engine: Engine, s: Statement): Promise<RoleOutcome | undefined> {
  if (engine.kind !== 'server') return undefined;
  if (s.kind === 'CreateRoleStmt' && engine.createRole) return engine.createRole(s);
  if (s.kind === 'GrantRoleStmt' && engine.grantRoles) return engine.grantRoles(s);
  return undefined;
}

function resultFor(results: Map<string, ApplyResult>, file: string): ApplyResult & { applied: number } {
  let r = results.get(file);
  if (!r) { r = { file, applied: 0, skipped: [], failures: [] }; results.set(file, r); }
  return r as ApplyResult & { applied: number };
}

function failure(s: Statement, text: string, e: unknown): ApplyFailure {
  const err = asDbError(e);
  return { loc: s.loc, code: err.code, message: err.message, statement: text.length > 200 ? `${text.slice(0, 200)}...` : text };
}

/** Applies statements grouped by file; on a server, roles that already exist are used as they are, never altered. */
export async function applySchema(engine: Engine, statements: readonly Statement[]): Promise<ApplyResult[]> {
  const results = new Map<string, ApplyResult>();
  for (const s of statements) {
    const r = resultFor(results, s.loc.file);
    const text = s.source.slice(s.start, s.end);
    const why = skipReason(s) ?? (engine.kind === 'server' ? clusterWideReason(s) ?? await untrustedExtension(engine, s) : undefined);
    if (why) { r.skipped.push({ loc: s.loc, reason: why }); continue; }
    try {
      const role = await roleStatement(engine, s);
      if (role) {
        if (role.applied) r.applied++;
        if (role.note) r.skipped.push({ loc: s.loc, reason: role.note });
        continue;
      }
      await engine.query(text);
      r.applied++;
    } catch (e) {
      r.failures.push(failure(s, text, e));
    }
  }
  return [...results.values()];
}
