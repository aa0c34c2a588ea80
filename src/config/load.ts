/** schemaproof.yaml: conventions and rule settings shared by every design in a repository. */
import { basename } from 'node:path';
export { CONFIG_NAMES, findConfig } from './find.js';
import type { Conventions, RuleSetting } from '../load/design/types.js';
import { parseWithPositions, positionOf } from '../load/design/yaml-positions.js';
import type { DesignProblem } from '../load/design/validate.js';
import { readRegularFile } from '../load/read.js';

/** How the migrations are linted: the flags of `schemaproof migrations`, kept with the project. */
export interface MigrationSettings {
  /** The PostgreSQL major version the migrations run on. */
  readonly pgVersion?: number;
  /** Every file runs inside a transaction its tool opens. */
  readonly assumeInTransaction?: boolean;
}

export interface Config {
  readonly file?: string;
  readonly conventions?: Conventions;
  readonly rules: Record<string, RuleSetting>;
  readonly migrations?: MigrationSettings;
  readonly problems: DesignProblem[];
}

/** Reads `migrations:` (pg_version, assume_in_transaction), with a located problem for each wrong value. */
function migrationSettings(raw: unknown, doc: ReturnType<typeof parseWithPositions>, file: string, problems: DesignProblem[]): MigrationSettings | undefined {
  if (raw === undefined) return undefined;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ messageId: 'wrong-type', message: '/migrations: expected a mapping with pg_version and assume_in_transaction', loc: positionOf(doc, '/migrations', file), path: '/migrations' });
    return undefined;
  }
  const out: { pgVersion?: number; assumeInTransaction?: boolean } = {};
  for (const [key, v] of Object.entries(raw as Record<string, unknown>)) {
    const path = `/migrations/${key}`;
    const loc = positionOf(doc, path, file);
    if (key === 'pg_version') {
      if (typeof v === 'number' && Number.isInteger(v) && v >= 9 && v <= 30) out.pgVersion = v;
      else problems.push({ messageId: 'wrong-value', message: `${path}: expected a PostgreSQL major version such as 16, got ${JSON.stringify(v)}`, loc, path });
    } else if (key === 'assume_in_transaction') {
      if (typeof v === 'boolean') out.assumeInTransaction = v;
      else problems.push({ messageId: 'wrong-value', message: `${path}: expected true or false, got ${JSON.stringify(v)}`, loc, path });
    } else {
      problems.push({ messageId: 'unknown-key', message: `unknown key "${key}" under migrations (expected pg_version or assume_in_transaction)`, loc: doc.keyAt.get(path) ?? loc, path });
    }
  }
  return out;
}

const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
const SEVERITIES = new Set(['off', 'error', 'warning', 'info']);
const TOP_KEYS = new Set(['conventions', 'rules', 'migrations']);

/**
 * An empty file, an empty mapping, or a mapping (even one with syntax errors further down)
 * with at least one of schemaproof.yaml's keys at the top. Anything else is not a config,
 * and none of its text may be echoed back as "unknown key" or syntax-error messages.
 */
function looksLikeConfig(doc: ReturnType<typeof parseWithPositions>): boolean {
  const top = [...doc.keyAt.keys()].filter((p) => p.lastIndexOf('/') === 0).map((p) => p.slice(1));
  if (top.some((k) => TOP_KEYS.has(k))) return true;
  if (doc.errors.length) return false;
  const v = doc.value;
  return v === null || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);
}

export function loadConfig(file: string | undefined, knownRules: ReadonlySet<string>): Config {
  if (!file) return { rules: {}, problems: [] };
  const at = { file, line: 1, column: 1 };
  const read = readRegularFile(file, MAX_CONFIG_BYTES);
  if (!read.ok) return { file, rules: {}, problems: [{ messageId: 'unreadable', message: `the config file ${file} ${read.message}`, loc: at, path: '' }] };
  const text = read.text;
  const doc = parseWithPositions(file, text);
  if (!looksLikeConfig(doc)) {
    // Some other file (a password file, a binary): say so without quoting any of its lines.
    return { file, rules: {}, problems: [{ messageId: 'wrong-type', message: `${basename(file)} is not a schemaproof.yaml (a mapping with conventions:, rules: or migrations:)`, loc: at, path: '' }] };
  }
  const problems: DesignProblem[] = doc.errors.map((e) => ({ messageId: 'yaml-syntax' as const, message: e.message, loc: e.loc, path: '' }));
  if (problems.length) return { file, rules: {}, problems };
  const value = (doc.value ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    if (!TOP_KEYS.has(key)) problems.push({ messageId: 'unknown-key', message: `unknown key "${key}" (expected conventions, rules or migrations)`, loc: doc.keyAt.get(`/${key}`) ?? at, path: `/${key}` });
  }
  const migrations = migrationSettings(value.migrations, doc, file, problems);
  const rules: Record<string, RuleSetting> = {};
  const raw = value.rules;
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [id, setting] of Object.entries(raw as Record<string, unknown>)) {
      const path = `/rules/${id}`;
      if (!knownRules.has(id)) {
        problems.push({ messageId: 'unknown-key', message: `unknown rule "${id}"`, loc: doc.keyAt.get(path) ?? positionOf(doc, path, file), path });
        continue;
      }
      const sev = typeof setting === 'string' ? setting : (setting as { severity?: string } | null)?.severity;
      if (sev !== undefined && !SEVERITIES.has(String(sev))) {
        problems.push({ messageId: 'wrong-value', message: `${path}: expected off, error, warning or info, got ${String(sev)}`, loc: positionOf(doc, path, file), path });
        continue;
      }
      rules[id] = setting as RuleSetting;
    }
  } else if (raw !== undefined) {
    problems.push({ messageId: 'wrong-type', message: '/rules: expected a mapping of rule id to setting', loc: positionOf(doc, '/rules', file), path: '/rules' });
  }
  const conventions = value.conventions && typeof value.conventions === 'object' ? (value.conventions as Conventions) : undefined;
  return { file, conventions, rules, ...(migrations ? { migrations } : {}), problems };
}
