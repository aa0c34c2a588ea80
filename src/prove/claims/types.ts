/** A claim of the design and what PostgreSQL said about it. */
import type { Loc } from '../../types.js';

export type ClaimKind = 'schema-applies' | 'access-pattern' | 'invariant' | 'drift' | 'rls' | 'concurrency';
export type ClaimStatus = 'proven' | 'refuted' | 'unproven';

export interface Claim {
  readonly kind: ClaimKind;
  /** The design's id (Q-001, INV-001), the table for rls, the file for schema-applies. */
  readonly id: string;
  /** What the claim is about: an index, a constraint, a table. */
  readonly object: string;
  readonly status: ClaimStatus;
  readonly reason: string;
  readonly evidence: Record<string, unknown>;
  /** Where the claim is written (design node or SQL file). */
  readonly loc?: Loc;
}
