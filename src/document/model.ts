/** The design document as data: sections of blocks. Built once; renderers only format it. */
import type { ClaimStatus } from '../prove/claims/types.js';
import type { Severity } from '../types.js';

export type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; headers: string[]; rows: Cell[][] }
  | { kind: 'list'; items: string[] }
  | { kind: 'code'; lang: string; text: string }
  | { kind: 'mermaid'; title: string; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'not-written'; what: string }
  | { kind: 'checklist'; items: { text: string; done: boolean; why?: string }[] }
  | { kind: 'findings'; items: { severity: Severity; rule: string; message: string; where: string }[] };

/** A table cell: text, or a proof status with its reason. */
export type Cell = string | { status: ClaimStatus | 'not proven'; text: string };

export interface Section {
  /** Anchor, e.g. `invariants`. */
  readonly id: string;
  /** "8" or "8.1": the seed template's numbering. */
  readonly number: string;
  readonly title: string;
  readonly blocks: Block[];
}

export interface StatusBadge { readonly status: ClaimStatus | 'not proven'; readonly reason: string }

export interface DesignDocument {
  readonly title: string;
  readonly subtitle: string;
  readonly layout: 'full' | 'compact' | 'schema-reference';
  readonly sections: Section[];
  /** Set when a proof was included. */
  readonly proof?: { engine: string; proven: number; refuted: number; unproven: number };
}
