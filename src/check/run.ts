/**
 * The `check` pipeline: load the design and its schema, build the catalog, run the rules,
 * sort the findings. Bad input comes back as findings with locations, or as an InputError
 * result when there is nothing to check at all.
 */
import { initParser } from '../load/sql/pg.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { Analyses } from '../analyses/index.js';
import { CatalogBuilder } from '../catalog/build.js';
import type { Catalog } from '../catalog/model.js';
import { findConfig, loadConfig } from '../config/load.js';
import { findDesignFile, type LoadedDesign, loadDesignFile } from '../load/design/load.js';
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

export const MAX_SQL_BYTES = 1024 * 1024 * 1024;

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
  for (const f of files) {
    const name = display(f.path);
    let text = f.text;
    if (text === undefined) {
      try {
        const size = statSync(f.path).size;
        if (size > MAX_SQL_BYTES) {
          problems.push({ kind: 'syntax-error', message: `file is ${size} bytes, over the ${MAX_SQL_BYTES}-byte limit; not read`, loc: { file: name, line: 1, column: 1 } });
          continue;
        }
        text = readFileSync(f.path, 'utf8');
      } catch (e) {
        problems.push({ kind: 'syntax-error', message: `cannot read: ${(e as Error).message}`, loc: { file: name, line: 1, column: 1 } });
        continue;
      }
    }
    const loaded = await loadSqlText(name, text);
    loadedFiles.set(name, loaded);
    sources.set(name, loaded.source);
    builder.resetSession();
    for (const s of loaded.statements) builder.apply(s);
    statements.push(...loaded.statements);
    problems.push(...loaded.problems);
    skipped.push(...loaded.skipped);
  }
  return { statements, problems, skipped, catalog: builder.build(), files: files.map((f) => display(f.path)), loaded: loadedFiles };
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

export async function check(options: CheckOptions): Promise<CheckResult | InputError> {
  // Access patterns and rules parse SQL even when no schema file is read.
  await initParser();
  const cwd = resolve(options.cwd ?? process.cwd());
  const display = (p: string): string => {
    const r = relative(cwd, resolve(cwd, p));
    return r.startsWith('..') ? resolve(cwd, p) : r || '.';
  };
  const sources = new Map<string, SourceText>();
  let design: LoadedDesign | undefined;
  let schemaFiles: { path: string; text?: string }[] = [];
  let migrationsDir: string | undefined;
  const extraDesignProblems: DesignProblem[] = [];

  const schemaList = options.schema === undefined ? [] : typeof options.schema === 'string' ? [options.schema] : [...options.schema];
  if (schemaList.length) {
    for (const f of schemaList) {
      const p = resolve(cwd, f);
      if (!existsSync(p) || !statSync(p).isFile()) return { ok: false, message: `schema file not found: ${f}`, file: f };
      schemaFiles.push({ path: p });
    }
  } else if (options.migrations) {
    const p = resolve(cwd, options.migrations);
    if (!isDirectory(p)) return { ok: false, message: `migrations folder not found: ${options.migrations}`, file: options.migrations };
    schemaFiles = migrationFiles(p, options.migrationsFormat);
    migrationsDir = p;
  } else {
    const target = resolve(cwd, options.target ?? '.');
    if (!existsSync(target)) return { ok: false, message: `no such file or folder: ${options.target ?? '.'}`, file: options.target };
    const file = findDesignFile(target);
    if (!file) return { ok: false, message: `no design.yaml, design.yml or design.json in ${options.target ?? '.'} (use --schema FILE to check a schema without a design)`, file: options.target };
    design = rebaseDesign(loadDesignFile(file), display);
    const d = design.design;
    const base = resolve(file, '..');
    if (d?.schema && typeof d.schema === 'string') {
      const p = resolve(base, d.schema);
      if (existsSync(p) && statSync(p).isFile()) schemaFiles = [{ path: p }];
      else extraDesignProblems.push({ messageId: 'unreadable', message: `schema: ${d.schema} does not exist (relative to ${display(base)})`, loc: design.at('/schema'), path: '/schema' });
    } else if (d?.migrations && typeof d.migrations === 'string') {
      const p = resolve(base, d.migrations);
      if (isDirectory(p)) { schemaFiles = migrationFiles(p, (d.migrations_format as MigrationFormat | 'auto') ?? 'auto'); migrationsDir = p; }
      else extraDesignProblems.push({ messageId: 'unreadable', message: `migrations: ${d.migrations} is not a folder (relative to ${display(base)})`, loc: design.at('/migrations'), path: '/migrations' });
    } else if (d) {
      extraDesignProblems.push({ messageId: 'missing-key', message: 'design names no physical schema: add schema: FILE or migrations: FOLDER', loc: { file: design.file, line: 1, column: 1 }, path: '' });
    }
  }

  const schema = await loadSchemaFiles(schemaFiles, display, sources);
  if (design?.doc) {
    try { sources.set(design.file, new SourceText(design.file, readFileSync(resolve(cwd, design.file), 'utf8'))); } catch { /* frames are optional */ }
  }

  const configStart = design ? resolve(cwd, design.dir) : schemaList.length ? resolve(cwd, schemaList[0]!, '..') : resolve(cwd, options.migrations ?? '.');
  const configFile = options.config ? resolve(cwd, options.config) : findConfig(configStart);
  const config = loadConfig(configFile, new Set(RULES.map((r) => r.id)));
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
  if (!existsSync(abs)) return { ok: false, message: `no such file or folder: ${path}` };
  if (statSync(abs).isFile()) return /\.(ya?ml|json)$/.test(abs) ? check({ target: path, cwd }) : check({ schema: path, cwd });
  if (findDesignFile(abs)) return check({ target: path, cwd });
  return check({ migrations: path, cwd });
}
