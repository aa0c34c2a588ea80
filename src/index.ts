/** schemaproof's public API: the CLI, the MCP server and users call only what is exported here. */
export { check, type CheckOptions, type CheckResult, type InputError } from './check/run.js';
export { RULES, ruleById } from './rules/index.js';
export type { Rule, RuleMeta, RuleContext, Report } from './rules/rule.js';
export { renderText, type TextOptions } from './render/text.js';
export { renderJson, toJsonReport, type JsonReport } from './render/json.js';
export { renderSarif } from './render/sarif.js';
export { renderRulesIndex } from './render/rules-index.js';
export { exitCodeFor, sortFindings, summarize, type Summary } from './report/findings.js';
export { loadSqlText, type Statement, type SqlLoadResult } from './load/sql/parse.js';
export { buildCatalog, CatalogBuilder } from './catalog/build.js';
export type * from './catalog/model.js';
export { loadDesignFile, loadDesignText, findDesignFile, type LoadedDesign } from './load/design/load.js';
export { designJsonSchema } from './load/design/validate.js';
export type { Design } from './load/design/types.js';
export { detectMigrations, type MigrationSet, type MigrationFormat } from './load/migrations/detect.js';
export type { Finding, Loc, Severity } from './types.js';
export { VERSION } from './version.js';
