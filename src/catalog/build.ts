/**
 * Builds the catalog: applies parsed statements in order. Dispatch is a record keyed by the
 * parser's statement kind; every other kind is listed as unmodelled (never a crash), and the
 * kinds known to have no schema effect are named so the verbose list stays useful.
 */
import type { Ast } from '../types.js';
import type { Statement } from '../load/sql/parse.js';
import type { Catalog, Table } from './model.js';
import { Draft } from './draft.js';
import { applyAlterTable, applyCreateTable } from './apply/table.js';
import {
  applyAlterDomain, applyAlterEnum, applyAlterObjectSchema, applyAlterPolicy, applyAlterSequence, applyCreateDomain, applyCreateEnum,
  applyCreateFunction, applyCreatePolicy, applyCreateRole, applyCreateSchema, applyCreateSequence, applyCreateTableAs,
  applyGrant, applyIndex, applySelect, applyTrigger, applyVariableSet, applyView,
} from './apply/objects.js';
import { applyDefaultPrivileges } from './apply/acl.js';
import { applyComment, applyDrop, applyRename } from './apply/drop-rename-comment.js';
import { applyDo } from './apply/do-block.js';

type Handler = (d: Draft, ast: Ast) => void;

const HANDLERS: Record<string, Handler> = {
  CreateStmt: applyCreateTable,
  AlterTableStmt: applyAlterTable,
  IndexStmt: applyIndex,
  DropStmt: applyDrop,
  RenameStmt: applyRename,
  CommentStmt: applyComment,
  CreateEnumStmt: applyCreateEnum,
  AlterEnumStmt: applyAlterEnum,
  CreateDomainStmt: applyCreateDomain,
  AlterDomainStmt: applyAlterDomain,
  ViewStmt: applyView,
  CreateTableAsStmt: applyCreateTableAs,
  CreateFunctionStmt: applyCreateFunction,
  CreateTrigStmt: applyTrigger,
  CreatePolicyStmt: applyCreatePolicy,
  AlterPolicyStmt: applyAlterPolicy,
  CreateRoleStmt: applyCreateRole,
  GrantStmt: applyGrant,
  AlterDefaultPrivilegesStmt: applyDefaultPrivileges,
  CreateSchemaStmt: (d, s) => {
    applyCreateSchema(d, s);
    // CREATE SCHEMA s CREATE TABLE ...: nested elements apply inside the new schema.
    if (s.schemaElts?.length) {
      const saved = d.searchPath;
      d.searchPath = [s.schemaname];
      for (const el of s.schemaElts) applyNode(d, el);
      d.searchPath = saved;
    }
  },
  CreateSeqStmt: applyCreateSequence,
  AlterSeqStmt: applyAlterSequence,
  AlterObjectSchemaStmt: applyAlterObjectSchema,
  CreateExtensionStmt: (d, s) => { d.extensions.add(s.extname); },
  VariableSetStmt: (d, s) => { if (!applyVariableSet(d, s)) return; },
  SelectStmt: (d, s) => { if (!applySelect(d, s)) d.unmodelledHere('query: no schema effect'); },
};

/** Statements with no effect on the schema model; they are not reported as unmodelled. */
const NO_SCHEMA_EFFECT = new Set([
  'TransactionStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CopyStmt', 'VariableShowStmt',
  'ExplainStmt', 'VacuumStmt', 'AlterOwnerStmt', 'LockStmt', 'CheckPointStmt', 'DiscardStmt', 'NotifyStmt',
  'ListenStmt', 'UnlistenStmt', 'ReindexStmt', 'ClusterStmt', 'RefreshMatViewStmt', 'PrepareStmt', 'ExecuteStmt',
  'DeallocateStmt', 'DeclareCursorStmt', 'FetchStmt', 'ClosePortalStmt', 'TruncateStmt',
  'GrantRoleStmt', 'AlterRoleStmt', 'AlterRoleSetStmt', 'DropRoleStmt', 'CallStmt', 'ConstraintsSetStmt',
  'AlterDatabaseStmt', 'AlterDatabaseSetStmt', 'CreatedbStmt', 'DropdbStmt', 'SecLabelStmt', 'AlterExtensionStmt',
]);

function applyNode(d: Draft, node: Ast): void {
  const kind = Object.keys(node ?? {})[0];
  if (!kind) return;
  const handler = HANDLERS[kind];
  if (handler) handler(d, node[kind]);
  else if (!NO_SCHEMA_EFFECT.has(kind)) d.unmodelledHere(`${kind} is not modelled`);
}

export interface BuildOptions {
  /** Called before each statement is applied: migrations use it to snapshot per-file state. */
  readonly onStatement?: (stmt: Statement) => void;
}

export class CatalogBuilder {
  private readonly draft = new Draft();

  apply(stmt: Statement): void {
    const d = this.draft;
    d.stmt = stmt;
    const handler = HANDLERS[stmt.kind];
    try {
      // A DO block's statements apply one by one, each as its own statement.
      if (stmt.kind === 'DoStmt') applyDo(d, stmt, (inner) => this.apply(inner));
      else if (handler) handler(d, stmt.ast);
      else if (!NO_SCHEMA_EFFECT.has(stmt.kind)) d.unmodelledHere(`${stmt.kind} is not modelled`);
    } catch (e) {
      // A statement shape the model did not foresee must not lose the rest of the schema.
      d.unmodelledHere(`could not be modelled: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Starts every file from the default search_path, as a new session would. */
  resetSession(): void {
    this.draft.searchPath = ['public'];
    this.draft.searchPathLoc = undefined;
    this.draft.tempTables.clear();
  }

  /** The tables so far, without freezing the rest (read per statement by the migration lint). */
  get tables(): ReadonlyMap<string, Table> {
    return this.draft.tables;
  }

  /** Read access to the state so far (migration rules need the catalog before a file). */
  peek(): Catalog {
    return this.draft.freeze();
  }

  build(): Catalog {
    return this.draft.freeze();
  }
}

export function buildCatalog(statements: readonly Statement[]): Catalog {
  const b = new CatalogBuilder();
  for (const s of statements) b.apply(s);
  return b.build();
}
