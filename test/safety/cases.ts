/**
 * What each hostile fixture (test/fixtures/hostile/<name>) tries, beyond changing the cluster
 * (which the digest catches for all of them): a file it would write on the server, text it
 * would print from the server's disk, and whether its escape is a statement PostgreSQL applies
 * cluster-wide, which prove must report as skipped rather than run.
 */
export interface HostileCase {
  readonly name: string;
  /** The schema has a cluster-wide statement (roles, databases, tablespaces, ALTER SYSTEM...) to be skipped. */
  readonly clusterWide?: boolean;
  /** Files the attack writes on the server's machine: they must not exist after the run. */
  readonly files?: readonly string[];
  /** Text that must not reach any output (what the attack would read from the server). */
  readonly neverPrinted?: readonly string[];
}

export const HOSTILE_CASES: readonly HostileCase[] = [
  { name: 'alter-existing-role', clusterWide: true },
  { name: 'grant-predefined-role', clusterWide: true },
  { name: 'alter-current-user-setting', clusterWide: true },
  { name: 'comment-other-database', clusterWide: true },
  { name: 'rename-other-database', clusterWide: true },
  { name: 'dblink-other-database' },
  { name: 'copy-to-program', files: ['/tmp/pwned-copy-to-program'] },
  { name: 'create-existing-role', clusterWide: true },
  { name: 'drop-existing-role', clusterWide: true },
  { name: 'alter-system', clusterWide: true },
  { name: 'create-tablespace', clusterWide: true },
  { name: 'create-database', clusterWide: true },
  { name: 'dynamic-alter-role' },
  { name: 'set-session-authorization' },
  { name: 'reset-role-in-trigger' },
  { name: 'reset-role-in-default' },
  { name: 'terminate-backends' },
  { name: 'lo-export', files: ['/tmp/pwned-lo-export'] },
  { name: 'event-trigger' },
  { name: 'default-privileges-reused-role' },
  { name: 'reassign-owned', clusterWide: true },
  { name: 'drop-owned', clusterWide: true },
  { name: 'read-server-file', neverPrinted: ['root:x:0:0'] },
  { name: 'postgres-fdw' },
  { name: 'create-subscription' },
  { name: 'security-definer-reused-role' },
  { name: 'grant-role-to-self', clusterWide: true },
  { name: 'grant-set-on-parameter', clusterWide: true },
  { name: 'alter-role-all', clusterWide: true },
  { name: 'create-role-memberships' },
  { name: 'access-pattern-escapes' },
  { name: 'violation-escapes' },
  { name: 'drift-and-validation-escapes' },
  { name: 'tenant-setting-injection' },
];
