/** Shared data shapes: locations and findings. Everything a user sees points at a place. */

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** A place a user can open: 1-based line and column. */
export interface Loc {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface Finding {
  readonly rule: string;
  readonly messageId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** What the finding is about: `orders.shipped_at`, `INV-003`, `Q-001`, `idx_orders_status`. */
  readonly object: string;
  readonly help?: string;
}

/** The parser's JSON AST. Accessors in load/sql/ast.ts give it shape where we read it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Ast = any;
