/** PostgreSQL lock modes and what each blocks, for findings that say what a statement holds. */

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
