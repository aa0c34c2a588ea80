/** PostgreSQL lock modes, what each blocks and which statements take them, for findings that say what a statement holds. */
import type { Ast } from '../types.js';

export type LockMode = 'ACCESS EXCLUSIVE' | 'EXCLUSIVE' | 'SHARE ROW EXCLUSIVE' | 'SHARE' | 'SHARE UPDATE EXCLUSIVE' | 'ROW EXCLUSIVE' | 'ROW SHARE' | 'ACCESS SHARE';

export const BLOCKS: Record<LockMode, string> = {
  'ACCESS EXCLUSIVE': 'blocks reads and writes',
  EXCLUSIVE: 'blocks writes and most reads except plain SELECT',
  'SHARE ROW EXCLUSIVE': 'blocks writes and other schema changes',
  SHARE: 'blocks writes (INSERT, UPDATE, DELETE)',
  'SHARE UPDATE EXCLUSIVE': 'blocks other schema changes and VACUUM, not reads or writes',
  'ROW EXCLUSIVE': 'blocks only schema changes and explicit locks',
  'ROW SHARE': 'blocks only exclusive locks',
  'ACCESS SHARE': 'blocks only ACCESS EXCLUSIVE',
};

/** "ACCESS EXCLUSIVE on orders: blocks reads and writes until commit". */
export function lockPhrase(mode: LockMode, table: string, inTransaction: boolean): string {
  return `${mode} on ${table}: ${BLOCKS[mode]} ${inTransaction ? 'until the transaction commits' : 'while it runs'}`;
}

/** LOCK TABLE's modes by the number the parser gives them (lockdefs.h). */
export const LOCK_MODES: readonly (LockMode | undefined)[] = [undefined, 'ACCESS SHARE', 'ROW SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'];

/** ALTER TABLE subcommands that take less than ACCESS EXCLUSIVE (PostgreSQL's AlterTableGetLockLevel). */
const ALTER_LOCKS: Readonly<Record<string, LockMode>> = {
  AT_ValidateConstraint: 'SHARE UPDATE EXCLUSIVE', AT_AttachPartition: 'SHARE UPDATE EXCLUSIVE', AT_SetStatistics: 'SHARE UPDATE EXCLUSIVE',
  AT_SetOptions: 'SHARE UPDATE EXCLUSIVE', AT_ResetOptions: 'SHARE UPDATE EXCLUSIVE', AT_ClusterOn: 'SHARE UPDATE EXCLUSIVE', AT_DropCluster: 'SHARE UPDATE EXCLUSIVE',
  AT_EnableTrig: 'SHARE ROW EXCLUSIVE', AT_EnableAlwaysTrig: 'SHARE ROW EXCLUSIVE', AT_EnableReplicaTrig: 'SHARE ROW EXCLUSIVE', AT_EnableTrigAll: 'SHARE ROW EXCLUSIVE',
  AT_EnableTrigUser: 'SHARE ROW EXCLUSIVE', AT_DisableTrig: 'SHARE ROW EXCLUSIVE', AT_DisableTrigAll: 'SHARE ROW EXCLUSIVE', AT_DisableTrigUser: 'SHARE ROW EXCLUSIVE',
};
export const STRENGTH: readonly LockMode[] = ['ACCESS SHARE', 'ROW SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'];

/** The strongest lock the subcommands of an ALTER TABLE take (a foreign key: SHARE ROW EXCLUSIVE). */
export function alterTableLock(a: Ast): LockMode {
  let best = 0;
  for (const c of a.cmds ?? []) {
    const cmd = c.AlterTableCmd;
    if (!cmd) continue;
    const fk = cmd.subtype === 'AT_AddConstraint' && cmd.def?.Constraint?.contype === 'CONSTR_FOREIGN';
    const detachConcurrently = cmd.subtype === 'AT_DetachPartition' && cmd.def?.PartitionCmd?.concurrent;
    const mode: LockMode = fk ? 'SHARE ROW EXCLUSIVE' : detachConcurrently ? 'SHARE UPDATE EXCLUSIVE' : ALTER_LOCKS[cmd.subtype] ?? 'ACCESS EXCLUSIVE';
    best = Math.max(best, STRENGTH.indexOf(mode));
  }
  return STRENGTH[best]!;
}
