/**
 * The `check` pipeline: load the design and its schema, build the catalog, run the rules,
 * sort the findings. Bad input comes back as findings with locations, or as an InputError
 * result when there is nothing to check at all.
 */
import { initParser } from '../load/sql/pg.js';
import { relative, resolve } from 'node:path';
import { statSync } from 'node:fs';
import { Analyses } from '../analyses/index.js';
import { CatalogBuilder } from '../catalog/build.js';
import type { Catalog } from '../catalog/model.js';
import { findConfig, loadConfig } from '../config/load.js';
import { findDesignFile, type LoadedDesign, loadDesignFile, MAX_DESIGN_BYTES } from '../load/design/load.js';
import { resolveInside } from '../load/paths.js';
import { MAX_SQL_BYTES, notAFile, overBudget, readRegularFile } from '../load/read.js';
import type { Conventions, Ignore } from '../load/design/types.js';
import type { DesignProblem } from '../load/design/validate.js';
import { detectMigrations, isDirectory, type MigrationFormat } from '../load/migrations/detect.js';
import { loadSqlText, type SkippedBlock, type SqlLoadResult, type SqlProblem, type Statement } from '../load/sql/parse.js';
import { SourceText } from '../load/sql/source.js';
import { sortFindings, summarize, type Summary } from '../report/findings.js';
import { runRules } from '../engine/run.js';
import { RULES } from '../rules/index.js';
import { lintMigrations } from '../migrations/lint.js';
import type { Finding, Loc } from '../types.js';

export interface CheckOptions {
  /** A design folder, or a design file. */
  readonly target?: string;
  /** Check a schema file (or files, applied in order) with no design: schema rules only. */
  readonly schema?: string | readonly string[];
  /** Check a migrations folder with no design. */
  readonly migrations?: string;
  readonly migrationsFormat?: MigrationFormat | 'auto';
  /** schemaproof.yaml to use instead of the one found beside the design. */
  readonly config?: string;
  /** Paths in findings are relative to this folder (default: the process's). */
  readonly cwd?: string;
}

export interface InputError {
  readonly ok: false;
  readonly message: string;
  readonly file?: string;
}

export interface CheckResult {
  readonly ok: true;
  readonly version: 1;
  readonly findings: Finding[];
  readonly summary: Summary;
  readonly catalog: Catalog;
  readonly design: LoadedDesign | undefined;
  readonly statements: readonly Statement[];
  readonly skipped: readonly SkippedBlock[];
  readonly schemaFiles: readonly string[];
  /** Source texts by the file names findings use, for source frames. */
  readonly sources: ReadonlyMap<string, SourceText>;
}

export { MAX_SQL_BYTES };

interface SchemaInputs {
  statements: Statement[];
  problems: SqlProblem[];
  skipped: SkippedBlock[];
  catalog: Catalog;
  files: string[];
  /** Each file's parse, by display name, so the migration lint does not parse it again. */
  loaded: Map<string, SqlLoadResult>;
}

async function loadSchemaFiles(files: { path: string; text?: string }[], display: (p: string) => string, sources: Map<string, SourceText>): Promise<SchemaInputs> {
  const builder = new CatalogBuilder();
  const statements: Statement[] = [];
  const problems: SqlProblem[] = [];
  const skipped: SkippedBlock[] = [];
  const loadedFiles = new Map<string, SqlLoadResult>();
  let total = 0;
  for (const f of files) {
    const name = display(f.path);
    let text = f.text;
    if (text === undefined) {
      const read = readRegularFile(f.path, MAX_SQL_BYTES - total);
      if (!read.ok) {
        problems.push({ kind: 'unreadable', message: read.reason === 'too-big' ? overBudget(total + (statSize(f.path) ?? 0)) : `not read: the file ${read.message}`, loc: { file: name, line: 1, column: 1 } });
        continue;
      }
      text = read.text;
    }
    const bytes = Buffer.byteLength(text);
    if (total + bytes > MAX_SQL_BYTES) {
      problems.push({ kind: 'unreadable', message: overBudget(total + bytes), loc: { file: name, line: 1, column: 1 } });
      continue;
    }
    total += bytes;
    const loaded = await loadSqlText(name, text);
    loadedFiles.set(name, loaded);
    sources.set(name, loaded.source);
    builder.resetSession();
    for (const s of loaded.statements) builder.apply(s);
    // One at a time: a spread of 100k+ arguments overflows the stack.
    for (const x of loaded.statements) statements.push(x);
    for (const x of loaded.problems) problems.push(x);
    for (const x of loaded.skipped) skipped.push(x);
  }
  return { statements, problems, skipped, catalog: builder.build(), files: files.map((f) => display(f.path)), loaded: loadedFiles };
}

function statSize(p: string): number | undefined {
  try { return statSync(p).size; } catch { return undefined; }
}

function migrationFiles(dir: string, format: MigrationFormat | 'auto' | undefined): { path: string; text: string }[] {
  return detectMigrations(dir, format ?? 'auto').files.map((f) => ({ path: f.path, text: f.text }));
}

function ignoresLookup(design: LoadedDesign | undefined): (path: string) => readonly Ignore[] {
  return (path) => {
    if (!design?.design) return [];
    let v: unknown = design.design;
    for (const seg of path.split('/').slice(1)) {
      const key = seg.replace(/~1/g, '/').replace(/~0/g, '~');
      v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    }
    const ig = v && typeof v === 'object' && !Array.isArray(v) ? (v as { ignore?: unknown }).ignore : undefined;
    return Array.isArray(ig) ? (ig as Ignore[]) : [];
  };
}

interface CheckInputs {
  design: LoadedDesign | undefined;
  schemaFiles: { path: string; text?: string }[];
  migrationsDir: string | undefined;
  extraDesignProblems: DesignProblem[];
  schemaList: string[];
}

/** What a check reads, from its options: a design and the schema it names, or schema files, or a migrations folder. */
function inputsOf(options: CheckOptions, cwd: string, display: (p: string) => string): CheckInputs | InputError {
  let design: LoadedDesign | undefined;
  let schemaFiles: { path: string; text?: string }[] = [];
  let migrationsDir: string | undefined;
  const extraDesignProblems: DesignProblem[] = [];

  const schemaList = options.schema === undefined ? [] : typeof options.schema === 'string' ? [options.schema] : [...options.schema];
  if (options.config) {
    const bad = notAFile(resolve(cwd, options.config));
    if (bad) return { ok: false, message: `the config file ${options.config} ${bad.message}`, file: options.config };
  }
  if (schemaList.length) {
    for (const f of schemaList) {
      const p = resolve(cwd, f);
      const bad = notAFile(p);
      if (bad) return { ok: false, message: bad.reason === 'missing' ? `schema file not found: ${f}` : `the schema file ${f} ${bad.message}`, file: f };
      schemaFiles.push({ path: p });
    }
  } else if (options.migrations) {
    const p = resolve(cwd, options.migrations);
    if (!isDirectory(p)) {
      const bad = notAFile(p);
      return { ok: false, message: bad?.reason === 'missing' ? `migrations folder not found: ${options.migrations}` : `the migrations path ${options.migrations} is not a folder`, file: options.migrations };
    }
    schemaFiles = migrationFiles(p, options.migrationsFormat);
    if (!schemaFiles.length) return { ok: false, message: `no migration found in ${options.migrations} (no .sql file)`, file: options.migrations };
    migrationsDir = p;
  } else {
    const target = resolve(cwd, options.target ?? '.');
    const bad = notAFile(target);
    if (bad?.reason === 'missing') return { ok: false, message: `no such file or folder: ${options.target ?? '.'}`, file: options.target };
    if (bad && !isDirectory(target)) return { ok: false, message: `${options.target ?? '.'} ${bad.message}`, file: options.target };
    const file = findDesignFile(target);
    if (!file) return { ok: false, message: `no design.yaml, design.yml or design.json in ${options.target ?? '.'} (use --schema FILE to check a schema without a design)`, file: options.target };
    design = rebaseDesign(loadDesignFile(file), display);
    const unread = design.problems.find((p) => p.messageId === 'unreadable');
    if (unread) return { ok: false, message: unread.message, file: design.file };
    const named = designInputs(design, resolve(file, '..'), display);
    schemaFiles = named.schemaFiles;
    migrationsDir = named.migrationsDir;
    extraDesignProblems.push(...named.problems);
  }
  return { design, schemaFiles, migrationsDir, extraDesignProblems, schemaList };
}

export async function check(options: CheckOptions): Promise<CheckResult | InputError> {
  // Access patterns and rules parse SQL even when no schema file is read.
  await initParser();
  const cwd = resolve(options.cwd ?? process.cwd());
  const display = (p: string): string => {
    const r = relative(cwd, resolve(cwd, p));
    return r.startsWith('..') ? resolve(cwd, p) : r || '.';
  };
  const sources = new Map<string, SourceText>();
  const inputs = inputsOf(options, cwd, display);
  if ('ok' in inputs) return inputs;
  const { design, schemaFiles, migrationsDir, extraDesignProblems, schemaList } = inputs;

  const schema = await loadSchemaFiles(schemaFiles, display, sources);
  if (design?.doc) {
    const read = readRegularFile(resolve(cwd, design.file), MAX_DESIGN_BYTES);
    if (read.ok) sources.set(design.file, new SourceText(design.file, read.text));
  }

  const configStart = design ? resolve(cwd, design.dir) : schemaList.length ? resolve(cwd, schemaList[0]!, '..') : resolve(cwd, options.migrations ?? '.');
  const configFile = options.config ? resolve(cwd, options.config) : findConfig(configStart);
  const config = loadConfig(configFile, new Set(RULES.map((r) => r.id)));
  const unreadConfig = config.problems.find((p) => p.messageId === 'unreadable');
  if (unreadConfig) return { ok: false, message: unreadConfig.message, file: configFile };
  const configProblems = config.problems.map((p) => ({ ...p, loc: { ...p.loc, file: display(p.loc.file) } }));
  const designConventions = design?.design?.conventions;
  const conventions: Conventions = { ...(config.conventions ?? {}), ...(designConventions ?? {}) };
  const ruleConfig = { ...config.rules, ...(designConventions?.rules ?? {}) };
  const analyses = new Analyses(schema.catalog, design?.design);

  const findings = runRules({
    rules: RULES,
    config: ruleConfig,
    ignoresAt: ignoresLookup(design),
    context: {
      catalog: schema.catalog,
      loaded: design?.design ? design : undefined,
      design: design?.design,
      conventions,
      conventionsDeclared: Boolean(config.conventions || designConventions),
      statements: schema.statements,
      analyses,
      inputs: {
        sqlProblems: schema.problems,
        designProblems: [...(design?.problems ?? []), ...extraDesignProblems, ...configProblems],
        skipped: schema.skipped,
      },
    },
  });
  // A design whose schema is a migrations folder also gets the migration safety rules.
  if (migrationsDir && schemaFiles.length) {
    // Schema rules already ran on the whole catalog; only the migration rules run per file here.
    const lint = await lintMigrations(RULES.filter((r) => r.meta.category === 'migration'), {
      paths: [migrationsDir], cwd, design: design?.design, config: ruleConfig, preloaded: schema.loaded,
      pgVersion: config.migrations?.pgVersion, assumeInTransaction: config.migrations?.assumeInTransaction,
      format: (design?.design?.migrations_format as MigrationFormat | 'auto' | undefined) ?? options.migrationsFormat ?? 'auto',
    });
    if (lint.ok) findings.push(...lint.findings);
  }
  const sorted = sortFindings(findings);
  return {
    ok: true,
    version: 1,
    findings: sorted,
    summary: summarize(sorted),
    catalog: schema.catalog,
    design,
    statements: schema.statements,
    skipped: schema.skipped,
    schemaFiles: schema.files,
    sources,
  };
}

/**
 * The schema a design names (`schema:` file or `migrations:` folder), which must lie inside the
 * design's folder: a design from elsewhere must not make us read (and print) any file.
 */
function designInputs(design: LoadedDesign, base: string, display: (p: string) => string): { schemaFiles: { path: string; text?: string }[]; migrationsDir?: string; problems: DesignProblem[] } {
  const d = design.design;
  const problem = (key: string, messageId: DesignProblem['messageId'], message: string): { schemaFiles: []; problems: DesignProblem[] } =>
    ({ schemaFiles: [], problems: [{ messageId, message: `${key}: ${message}`, loc: design.at(`/${key}`), path: `/${key}` }] });
  const inside = (key: string, value: string): string | { schemaFiles: []; problems: DesignProblem[] } => {
    const r = resolveInside(base, value);
    return r.ok ? r.path : problem(key, 'outside-folder', `${value} ${r.reason === 'invalid' ? 'holds a NUL byte' : `is outside the design's folder ${display(base)}`}`);
  };
  if (typeof d?.schema === 'string') {
    const p = inside('schema', d.schema);
    if (typeof p !== 'string') return p;
    const bad = notAFile(p);
    if (bad) return problem('schema', 'unreadable', `${d.schema} ${bad.message} (relative to ${display(base)})`);
    return { schemaFiles: [{ path: p }], problems: [] };
  }
  if (typeof d?.migrations === 'string') {
    const p = inside('migrations', d.migrations);
    if (typeof p !== 'string') return p;
    if (!isDirectory(p)) return problem('migrations', 'unreadable', `${d.migrations} ${notAFile(p)?.reason === 'missing' ? 'does not exist' : 'is not a folder'} (relative to ${display(base)})`);
    // Confined: a symlink inside the folder that leads out of it is not read either.
    const set = detectMigrations(p, (d.migrations_format as MigrationFormat | 'auto') ?? 'auto', true);
    const files = set.files.map((f) => ({ path: f.path, text: f.text }));
    if (set.outside) {
      const away = set.outside.map(display).join(', ');
      return { ...problem('migrations', 'outside-folder', `${away} in ${d.migrations} lead${set.outside.length > 1 ? '' : 's'} outside the design's folder ${display(base)}`), schemaFiles: files, migrationsDir: files.length ? p : undefined };
    }
    if (!files.length) return problem('migrations', 'unreadable', `no migration found in ${d.migrations} (no .sql file)`);
    return { schemaFiles: files, migrationsDir: p, problems: [] };
  }
  if (!d) return { schemaFiles: [], problems: [] };
  return { schemaFiles: [], problems: [{ messageId: 'missing-key', message: 'design names no physical schema: add schema: FILE or migrations: FOLDER', loc: { file: design.file, line: 1, column: 1 }, path: '' }] };
}

/** Design locations are made with the file's path as found; findings use the display path. */
function rebaseDesign(design: LoadedDesign, display: (p: string) => string): LoadedDesign {
  const fix = (l: Loc): Loc => ({ ...l, file: display(l.file) });
  return {
    ...design,
    file: display(design.file),
    dir: display(design.dir),
    at: (p: string) => fix(design.at(p)),
    keyAt: (p: string) => fix(design.keyAt(p)),
    problems: design.problems.map((p) => ({ ...p, loc: fix(p.loc) })),
  };
}

/**
 * Checks whatever a path holds: a design file (.yaml, .yml, .json), a SQL schema file, a design
 * folder (with design.yaml/.yml/.json), or else a migrations folder. For `plan`, whose sides
 * can be any of these.
 */
export async function checkPath(path: string, cwd?: string): Promise<CheckResult | InputError> {
  const abs = resolve(cwd ?? process.cwd(), path);
  const bad = notAFile(abs);
  if (bad?.reason === 'missing') return { ok: false, message: `no such file or folder: ${path}` };
  if (bad && !isDirectory(abs)) return { ok: false, message: `${path} ${bad.message}` };
  if (!bad) return /\.(ya?ml|json)$/.test(abs) ? check({ target: path, cwd }) : check({ schema: path, cwd });
  if (findDesignFile(abs)) return check({ target: path, cwd });
  return check({ migrations: path, cwd });
}
