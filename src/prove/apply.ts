/** Applies the parsed schema, statement by statement, so each failure has its location. */
import type { Statement } from '../load/sql/parse.js';
import type { Loc } from '../types.js';
import type { Engine } from './engine.js';
import { asDbError } from './engine.js';
import { createdRolesOf } from './server.js';

export interface ApplyFailure { readonly loc: Loc; readonly code?: string; readonly message: string; readonly statement: string }

export interface ApplyResult {
  readonly file: string;
  readonly applied: number;
  readonly skipped: { loc: Loc; reason: string }[];
  readonly failures: ApplyFailure[];
}

/** Statements that make no sense in a throwaway proof database. */
function skipReason(s: Statement, engine: Engine): string | undefined {
  switch (s.kind) {
    case 'TransactionStmt': return 'transaction control is handled by the prover';
    case 'CopyStmt': return 'COPY data is not loaded; the generator fills tables';
    case 'CreatedbStmt': case 'DropdbStmt': case 'AlterDatabaseStmt': case 'AlterDatabaseSetStmt': return 'database-level statement';
    case 'AlterSystemStmt': return 'server configuration';
    case 'IndexStmt': return s.ast.concurrent && engine.inTransaction ? 'CONCURRENTLY cannot run inside the rollback transaction' : undefined;
    default: return undefined;
  }
}

/** Applies statements grouped by file; on a server, roles that already exist are reused, never altered. */
export async function applySchema(engine: Engine, statements: readonly Statement[]): Promise<ApplyResult[]> {
  const results = new Map<string, ApplyResult>();
  const created = createdRolesOf(engine);
  for (const s of statements) {
    const file = s.loc.file;
    let r = results.get(file);
    if (!r) { r = { file, applied: 0, skipped: [], failures: [] }; results.set(file, r); }
    const why = skipReason(s, engine);
    if (why) { r.skipped.push({ loc: s.loc, reason: why }); continue; }
    const text = s.source.slice(s.start, s.end);
    if (s.kind === 'CreateRoleStmt' && engine.kind === 'server') {
      const exists = await engine.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [s.ast.role]);
      if (exists.rows.length) {
        engine.reusedRoles.push(s.ast.role);
        r.skipped.push({ loc: s.loc, reason: `role ${s.ast.role} already exists on the server: reused as it is, not altered` });
        continue;
      }
    }
    try {
      await engine.exec(text);
      (r as { applied: number }).applied++;
      if (s.kind === 'CreateRoleStmt' && created && !engine.inTransaction) created.push(s.ast.role);
    } catch (e) {
      const err = asDbError(e);
      r.failures.push({ loc: s.loc, code: err.code, message: err.message, statement: text.length > 200 ? `${text.slice(0, 200)}...` : text });
    }
  }
  return [...results.values()];
}
