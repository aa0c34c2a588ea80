/**
 * Statements whose effect reaches beyond the throwaway database: roles, databases,
 * tablespaces, server settings, subscriptions, loaded libraries. On a server they are never
 * run by the schema's role; each is reported as skipped with its line. Roles the schema
 * creates, and memberships among them, are made by the prover itself (see server.ts).
 * This is not the safety boundary (least privilege is): it keeps honest schemas from failing
 * on statements that the throwaway role is rightly refused, and says why.
 */
import type { Statement } from '../load/sql/parse.js';

const SHARED_OBJECTS = new Set(['OBJECT_DATABASE', 'OBJECT_ROLE', 'OBJECT_TABLESPACE', 'OBJECT_PARAMETER_ACL', 'OBJECT_SUBSCRIPTION']);

const ALWAYS: Record<string, string> = {
  AlterRoleStmt: 'changes a role (cluster-wide): not run; roles the schema creates are made by schemaproof',
  AlterRoleSetStmt: 'sets a role default (cluster-wide, persists): not run',
  DropRoleStmt: 'drops a role (cluster-wide): not run',
  CreatedbStmt: 'database-level statement: not run',
  DropdbStmt: 'database-level statement: not run',
  AlterDatabaseStmt: 'database-level statement: not run',
  AlterDatabaseSetStmt: 'database-level statement: not run',
  AlterDatabaseRefreshCollStmt: 'database-level statement: not run',
  CreateTableSpaceStmt: 'tablespaces are cluster-wide: not run',
  DropTableSpaceStmt: 'tablespaces are cluster-wide: not run',
  AlterTableSpaceOptionsStmt: 'tablespaces are cluster-wide: not run',
  AlterSystemStmt: 'server configuration (postgresql.auto.conf): not run',
  CreateSubscriptionStmt: 'a subscription connects to another server: not run',
  AlterSubscriptionStmt: 'a subscription connects to another server: not run',
  DropSubscriptionStmt: 'a subscription connects to another server: not run',
  LoadStmt: 'loads a server library: not run',
  CheckPointStmt: 'a checkpoint is cluster-wide: not run',
  ReassignOwnedStmt: 'reassigns objects of roles across the cluster: not run',
  DropOwnedStmt: 'drops what roles own and revokes their privileges, on shared objects too: not run',
};

/** Why a statement is not run on a server, or undefined when it stays inside the database. */
export function clusterWideReason(s: Statement): string | undefined {
  const always = ALWAYS[s.kind];
  if (always) return always;
  const a = s.ast;
  switch (s.kind) {
    case 'RenameStmt': return SHARED_OBJECTS.has(a.renameType) ? 'renames a database, role or tablespace (cluster-wide): not run' : undefined;
    case 'AlterOwnerStmt': return SHARED_OBJECTS.has(a.objectType) ? 'changes the owner of a database or tablespace (cluster-wide): not run' : undefined;
    case 'CommentStmt': return SHARED_OBJECTS.has(a.objtype) ? 'comments on a database, role or tablespace (cluster-wide): not run' : undefined;
    case 'SecLabelStmt': return SHARED_OBJECTS.has(a.objtype) ? 'labels a database, role or tablespace (cluster-wide): not run' : undefined;
    case 'GrantStmt': return SHARED_OBJECTS.has(a.objtype) ? 'grants on a database, tablespace or server parameter (cluster-wide): not run' : undefined;
    case 'VariableSetStmt': {
      if (a.kind === 'VAR_RESET_ALL') return 'RESET ALL would reset the prover\'s session: not run';
      return a.name === 'role' || a.name === 'session_authorization' ? 'switches the session\'s role: not run (the schema runs as the throwaway role)' : undefined;
    }
    default: return undefined;
  }
}

/** The role names a schema creates, in order of appearance, without repeats. */
export function rolesCreated(statements: readonly Statement[]): string[] {
  const out: string[] = [];
  for (const s of statements) if (s.kind === 'CreateRoleStmt' && typeof s.ast.role === 'string' && !out.includes(s.ast.role)) out.push(s.ast.role);
  return out;
}
