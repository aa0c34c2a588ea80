/** The rule registry: every rule module. A test checks it against the folder listing. */
import type { Rule } from '../engine/rule.js';
import accessPatternIndexMismatch from './access-pattern-index-mismatch.js';
import addingFieldWithDefault from './adding-field-with-default.js';
import addingForeignKeyConstraint from './adding-foreign-key-constraint.js';
import addingNotNullableField from './adding-not-nullable-field.js';
import addingRequiredField from './adding-required-field.js';
import addingSerialPrimaryKeyField from './adding-serial-primary-key-field.js';
import banAlterDomainWithAddConstraint from './ban-alter-domain-with-add-constraint.js';
import banCharField from './ban-char-field.js';
import banConcurrentIndexCreationInTransaction from './ban-concurrent-index-creation-in-transaction.js';
import banCreateDomainWithConstraint from './ban-create-domain-with-constraint.js';
import banDropColumn from './ban-drop-column.js';
import banDropDatabase from './ban-drop-database.js';
import banDropNotNull from './ban-drop-not-null.js';
import banDuplicateColumnAssignments from './ban-duplicate-column-assignments.js';
import banDropTable from './ban-drop-table.js';
import banTruncateCascade from './ban-truncate-cascade.js';
import banUncommittedTransaction from './ban-uncommitted-transaction.js';
import catalogInconsistency from './catalog-inconsistency.js';
import searchPathSchemaMissing from './search-path-schema-missing.js';
import changingColumnType from './changing-column-type.js';
import constraintMissingNotValid from './constraint-missing-not-valid.js';
import derivedStoreWithoutRebuild from './derived-store-without-rebuild.js';
import designInvalid from './design-invalid.js';
import designSqlInvalid from './design-sql-invalid.js';
import designSqlUnsafe from './design-sql-unsafe.js';
import disallowedUniqueConstraint from './disallowed-unique-constraint.js';
import duplicateIndex from './duplicate-index.js';
import enforcementObjectMissing from './enforcement-object-missing.js';
import enforcementObjectWrongKind from './enforcement-object-wrong-kind.js';
import entityWithoutGrain from './entity-without-grain.js';
import enumValueInTransaction from './enum-value-in-transaction.js';
import exactlyOnceClaim from './exactly-once-claim.js';
import exclusionConstraintOnExistingTable from './exclusion-constraint-on-existing-table.js';
import identifierTooLong from './identifier-too-long.js';
import invariantWithoutEnforcement from './invariant-without-enforcement.js';
import largeObjectColumn from './large-object-column.js';
import lifecycleStatesMismatch from './lifecycle-states-mismatch.js';
import migrationStepWithoutRollback from './migration-step-without-rollback.js';
import missingSection from './missing-section.js';
import multipleAltersSameTable from './multiple-alters-same-table.js';
import namingConvention from './naming-convention.js';
import openQuestionIncomplete from './open-question-incomplete.js';
import piiWithoutProtection from './pii-without-protection.js';
import policyWithoutRls from './policy-without-rls.js';
import preferBigintOrUuidKey from './prefer-bigint-or-uuid-key.js';
import preferBigintOverInt from './prefer-bigint-over-int.js';
import preferBigintOverSmallint from './prefer-bigint-over-smallint.js';
import preferIdentity from './prefer-identity.js';
import preferJsonb from './prefer-jsonb.js';
import preferNumericForMoney from './prefer-numeric-for-money.js';
import preferRepack from './prefer-repack.js';
import preferRobustStmts from './prefer-robust-stmts.js';
import preferTextField from './prefer-text-field.js';
import preferTimestamptz from './prefer-timestamptz.js';
import recoveryUntested from './recovery-untested.js';
import refreshMatviewWithoutConcurrently from './refresh-matview-without-concurrently.js';
import renamingColumn from './renaming-column.js';
import renamingTable from './renaming-table.js';
import requireConcurrentIndexCreation from './require-concurrent-index-creation.js';
import requireConcurrentIndexDeletion from './require-concurrent-index-deletion.js';
import requireConcurrentPartitionDetach from './require-concurrent-partition-detach.js';
import requireConcurrentReindex from './require-concurrent-reindex.js';
import requireEnumValueOrdering from './require-enum-value-ordering.js';
import requireLockTimeout from './require-lock-timeout.js';
import requirePrimaryKey from './require-primary-key.js';
import requireStatementTimeout from './require-statement-timeout.js';
import requireTableSchema from './require-table-schema.js';
import riskWithoutOwner from './risk-without-owner.js';
import rlsEnabledNoPolicy from './rls-enabled-no-policy.js';
import rlsOwnerWithoutForce from './rls-owner-without-force.js';
import rlsPolicyAlwaysTrue from './rls-policy-always-true.js';
import rlsPolicyBypassBranch from './rls-policy-bypass-branch.js';
import rlsPolicyFailsOpen from './rls-policy-fails-open.js';
import softDeleteUnique from './soft-delete-unique.js';
import speculativeIndex from './speculative-index.js';
import sqlSyntaxError from './sql-syntax-error.js';
import standardColumns from './standard-columns.js';
import suppressionWithoutReason from './suppression-without-reason.js';
import tenantIsolation from './tenant-isolation.js';
import tooManyIndexes from './too-many-indexes.js';
import transactionNesting from './transaction-nesting.js';
import unbatchedBackfill from './unbatched-backfill.js';
import unconstrainedEnumColumn from './unconstrained-enum-column.js';
import unindexedForeignKey from './unindexed-foreign-key.js';
import unknownReference from './unknown-reference.js';
import updatedAtWithoutTrigger from './updated-at-without-trigger.js';
import vacuumFullOrCluster from './vacuum-full-or-cluster.js';
import validateInSameTransaction from './validate-in-same-transaction.js';
import viewBypassesRls from './view-bypasses-rls.js';

export const RULES: readonly Rule[] = Object.freeze([
  accessPatternIndexMismatch,
  addingFieldWithDefault,
  addingForeignKeyConstraint,
  addingNotNullableField,
  addingRequiredField,
  addingSerialPrimaryKeyField,
  banAlterDomainWithAddConstraint,
  banCharField,
  banConcurrentIndexCreationInTransaction,
  banCreateDomainWithConstraint,
  banDropColumn,
  banDropDatabase,
  banDropNotNull,
  banDropTable,
  banDuplicateColumnAssignments,
  banTruncateCascade,
  banUncommittedTransaction,
  catalogInconsistency,
  searchPathSchemaMissing,
  changingColumnType,
  constraintMissingNotValid,
  derivedStoreWithoutRebuild,
  designInvalid,
  designSqlInvalid,
  designSqlUnsafe,
  disallowedUniqueConstraint,
  duplicateIndex,
  enforcementObjectMissing,
  enforcementObjectWrongKind,
  entityWithoutGrain,
  enumValueInTransaction,
  exactlyOnceClaim,
  exclusionConstraintOnExistingTable,
  identifierTooLong,
  invariantWithoutEnforcement,
  largeObjectColumn,
  lifecycleStatesMismatch,
  migrationStepWithoutRollback,
  missingSection,
  multipleAltersSameTable,
  namingConvention,
  openQuestionIncomplete,
  piiWithoutProtection,
  policyWithoutRls,
  preferBigintOrUuidKey,
  preferBigintOverInt,
  preferBigintOverSmallint,
  preferIdentity,
  preferJsonb,
  preferNumericForMoney,
  preferRepack,
  preferRobustStmts,
  preferTextField,
  preferTimestamptz,
  recoveryUntested,
  refreshMatviewWithoutConcurrently,
  renamingColumn,
  renamingTable,
  requireConcurrentIndexCreation,
  requireConcurrentIndexDeletion,
  requireConcurrentPartitionDetach,
  requireConcurrentReindex,
  requireEnumValueOrdering,
  requireLockTimeout,
  requirePrimaryKey,
  requireStatementTimeout,
  requireTableSchema,
  riskWithoutOwner,
  rlsEnabledNoPolicy,
  rlsOwnerWithoutForce,
  rlsPolicyAlwaysTrue,
  rlsPolicyBypassBranch,
  rlsPolicyFailsOpen,
  softDeleteUnique,
  speculativeIndex,
  sqlSyntaxError,
  standardColumns,
  suppressionWithoutReason,
  tenantIsolation,
  tooManyIndexes,
  transactionNesting,
  unbatchedBackfill,
  unconstrainedEnumColumn,
  unindexedForeignKey,
  unknownReference,
  updatedAtWithoutTrigger,
  vacuumFullOrCluster,
  validateInSameTransaction,
  viewBypassesRls,
]);

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
