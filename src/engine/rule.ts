/** What a rule is: permanent id, metadata, and a pure check over frozen inputs. */
import type { Catalog } from '../catalog/model.js';
import type { LoadedDesign } from '../load/design/load.js';
import type { Conventions, Design } from '../load/design/types.js';
import type { SkippedBlock, SqlProblem, Statement } from '../load/sql/parse.js';
import type { DesignProblem } from '../load/design/validate.js';
import type { Loc, Severity } from '../types.js';
import type { Analyses } from '../analyses/index.js';

export type RuleCategory = 'input' | 'schema' | 'design' | 'migration';

export interface RuleOption {
  readonly type: 'number' | 'string' | 'boolean' | 'string[]';
  readonly default: unknown;
  readonly description: string;
}

export interface RuleMeta {
  readonly description: string;
  readonly severity: Severity;
  readonly category: RuleCategory;
  /** Message templates; `{name}` is replaced from the report's data. */
  readonly messages: Readonly<Record<string, string>>;
  readonly options?: Readonly<Record<string, RuleOption>>;
  /**
   * Migration rules whose hazard reaches the application (a lock that blocks, a change old
   * clients break on): their findings also name the design's access patterns that read the table.
   */
  readonly affectsReaders?: boolean;
  /** A style choice, off unless a schemaproof.yaml (or design) turns it on; `severity` is then its level. */
  readonly optIn?: boolean;
}

export interface Report {
  readonly messageId: string;
  readonly data?: Readonly<Record<string, string | number>>;
  readonly loc: Loc;
  readonly object: string;
  /** Design pointer of the item the finding is about, for `ignore:` on design items. */
  readonly path?: string;
  readonly help?: string;
  /** Overrides the rule's severity for this finding (e.g. an unscored risk is a warning). */
  readonly severity?: Severity;
}

export interface RuleContext {
  readonly catalog: Catalog;
  readonly loaded: LoadedDesign | undefined;
  readonly design: Design | undefined;
  readonly conventions: Conventions;
  /** True when the conventions were written by the user (design or schemaproof.yaml). */
  readonly conventionsDeclared: boolean;
  readonly statements: readonly Statement[];
  /** What the loaders could not read: each becomes a finding of an input rule. */
  readonly inputs: {
    readonly sqlProblems: readonly SqlProblem[];
    readonly designProblems: readonly DesignProblem[];
    readonly skipped: readonly SkippedBlock[];
  };
  readonly analyses: Analyses;
  readonly options: Readonly<Record<string, unknown>>;
  report(r: Report): void;
}

export interface Rule {
  readonly id: string;
  readonly meta: RuleMeta;
  /** Whole-schema check (schema, design and input rules); migration rules have checkMigration. */
  check(ctx: RuleContext): void;
  /** Per migration file, in `schemaproof migrations` (migration rules, and schema rules that also apply there). */
  readonly checkMigration?: (ctx: import('../migrations/lint.js').MigrationContext) => void;
}

export function defineRule(rule: Rule): Rule {
  return Object.freeze(rule);
}
