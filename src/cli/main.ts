/** The command line: parses arguments, calls the library, prints, exits. Nothing else. */
import { parseArgs } from 'node:util';
import type { CheckResult, ProveResult } from '../index.js';
import { VERSION } from '../version.js';
import { BASELINE_COMPILER_BELOW_BYTES, useBaselineCompiler } from '../load/sql/pg.js';
import { internalError, makeFolder, type Out, usage, writeOutput } from './shell.js';
import { resolveInside } from '../load/paths.js';

/** The library, loaded on first use: `migrations` and `--version` do not pay for all of it. */
let api: typeof import('../index.js');
async function loadApi(): Promise<typeof import('../index.js')> {
  api ??= await import('../index.js');
  return api;
}
import type { Severity } from '../types.js';

const HELP = `schemaproof ${VERSION}: executable database design documents

Usage:
  schemaproof check [DIR|FILE] [options]   review a design folder (design.yaml + schema)
  schemaproof check --schema FILE...       schema rules only, no design (repeat --schema to apply files in order)
  schemaproof check --migrations DIR       schema rules on a migrations folder
  schemaproof prove [DIR|FILE] [options]   prove the design's claims on real PostgreSQL
  schemaproof seed [DIR|FILE] [--out FILE] [--scale N] [--seed TEXT]
                                           development data as a SQL file of INSERTs
  schemaproof render [DIR|FILE] [--format markdown|html] [--out FILE] [--prove | --proof FILE]
                                           the design document, with review and proof status
  schemaproof render --schema-reference [DIR | --schema FILE...] [--format markdown|html]
  schemaproof init [DIR] --kind KIND [--from schema.sql]
                                           scaffold a design.yaml (pre-filled from a schema)
  schemaproof migrations [--pg-version N] [--assume-in-transaction] [--design design.yaml] [--config FILE]
                         [--trace [--database-url URL | --local-server]] [--format text|json|sarif] FILES_OR_DIRS...
                                           migration safety: locks, rewrites, compatibility
  schemaproof plan OLD NEW [--out DIR] [--chunk-size N]
                                           phased expand/backfill/validate/switch/contract migration
  schemaproof cleanup --database-url URL [--dry-run]
                                           drop the databases and roles killed runs left on a server
  schemaproof rules [--format markdown|json]
  schemaproof mcp [--root DIR] [--allow-database-url]
                                           MCP server over stdio; paths confined to DIR (default: cwd)
  schemaproof --version | --help

Options for check:
  --format text|json|sarif   output format (default text)
  --fail-on error|warning|info   exit 1 at or above this severity (default error)
  --config FILE              schemaproof.yaml to use (default: found beside the design)
  --migrations-format F      auto|plain|flyway|golang-migrate|dbmate|prisma
  --no-color                 plain text even on a terminal
  --verbose                  also list statements the catalog does not model
  --prove                    also run the proof and report both

Options for prove (and check --prove):
  --database-url URL         prove on a server (a throwaway database is created and dropped)
  --local-server             start a throwaway cluster with initdb/pg_ctl from PATH
  --seed TEXT                seed of the generated data (default schemaproof)
  --scale N                  rows of the largest table (default 10000); others in proportion
  --format text|json

Global option: --debug   print the stack of an internal error

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 bad usage or unreadable input,
3 internal error (a bug in schemaproof: please report it).
`;


/** Commands that start PGlite (another WASM module, long-running): the parser keeps V8's default compilers. */
const RUNS_PGLITE = new Set(['prove', 'seed', 'mcp']);

/** Bytes of the files the arguments name (folders walked), counted up to the threshold. */
async function sqlBytes(args: readonly string[]): Promise<number> {
  const { readdir, stat } = await import('node:fs/promises');
  const { join } = await import('node:path');
  let total = 0;
  const visit = async (p: string, depth: number): Promise<void> => {
    if (total >= BASELINE_COMPILER_BELOW_BYTES || depth > 6) return;
    const st = await stat(p).catch(() => undefined);
    if (!st) return;
    if (st.isFile()) { total += st.size; return; }
    if (!st.isDirectory()) return;
    for (const e of await readdir(p).catch(() => [])) if (e !== 'node_modules' && !e.startsWith('.')) await visit(join(p, e), depth + 1);
  };
  for (const a of args) if (!a.startsWith('-')) await visit(a, 0);
  return total;
}

/** A proof's warnings (a superuser URL, a role it could not drop), one line each on stderr. */
function warn(err: Out, p: { warnings?: readonly string[] }): void {
  for (const w of p.warnings ?? []) err.write(`schemaproof: warning: ${w}\n`);
}

/**
 * Runs one command and returns its exit code. Whatever goes wrong inside becomes exit 3 and one
 * line (`--debug`, anywhere on the line, adds the stack): never a stack trace with exit 1, which
 * CI reads as findings.
 */
export async function main(argv: string[], out: Out = process.stdout, err: Out = process.stderr, isTTY = Boolean(process.stdout.isTTY)): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    return await run(argv.filter((a) => a !== '--debug'), out, err, isTTY);
  } catch (e) {
    return internalError(e, err, debug);
  }
}

/** For bin/schemaproof.js: errors outside main's await (timers, streams, late rejections) end the same way. */
export function installCrashHandlers(debug: boolean, err: Out = process.stderr): void {
  const crash = (e: unknown): void => { process.exitCode = internalError(e, err, debug); process.exit(); };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}

async function run(argv: string[], out: Out, err: Out, isTTY: boolean): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') { out.write(HELP); return command ? 0 : 2; }
  if (command === '--version' || command === '-v') { out.write(`${VERSION}\n`); return 0; }
  if (!RUNS_PGLITE.has(command) && !rest.includes('--prove') && !rest.includes('--trace') && await sqlBytes(rest) < BASELINE_COMPILER_BELOW_BYTES) {
    useBaselineCompiler();
  }
  if (command !== 'migrations') await loadApi();
  if (command === 'mcp') {
    let mv;
    try { mv = parseArgs({ args: rest, strict: true, options: { root: { type: 'string' }, 'allow-database-url': { type: 'boolean' } } }).values; } catch (e) { return usage(err, (e as Error).message); }
    const { statSync } = await import('node:fs');
    if (mv.root !== undefined && !statSync(mv.root, { throwIfNoEntry: false })?.isDirectory()) return usage(err, `--root ${mv.root} is not a folder`);
    const { startMcpServer } = await import('../mcp/server.js');
    await startMcpServer({ root: mv.root, allowDatabaseUrl: mv['allow-database-url'] });
    return -1;
  }
  if (command === 'rules') {
    let values;
    try { ({ values } = parseArgs({ args: rest, options: { format: { type: 'string', default: 'markdown' } }, strict: true })); } catch (e) { return usage(err, (e as Error).message); }
    if (values.format === 'json') out.write(`${JSON.stringify(api.RULES.map((r) => ({ id: r.id, ...r.meta })), null, 2)}\n`);
    else if (values.format === 'markdown') out.write(api.renderRulesIndex(api.RULES));
    else return usage(err, `unknown --format ${values.format}`);
    return 0;
  }
  if (command === 'seed') {
    let sv;
    try {
      sv = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { out: { type: 'string' }, scale: { type: 'string' }, seed: { type: 'string' }, schema: { type: 'string', multiple: true }, migrations: { type: 'string' } } });
    } catch (e) { return usage(err, (e as Error).message); }
    const n = sv.values.scale === undefined ? undefined : Number(sv.values.scale);
    if (n !== undefined && (!Number.isInteger(n) || n < 1)) return usage(err, '--scale takes a whole number of rows');
    const r = await api.seed({ target: sv.positionals[0], schema: sv.values.schema, migrations: sv.values.migrations, scale: n, seed: sv.values.seed });
    if (!r.ok) { err.write(`schemaproof: ${r.message}\n`); return 2; }
    if (sv.values.out) {
      if (!await writeOutput(sv.values.out, r.sql, err)) return 2;
      err.write(`wrote ${sv.values.out}: ${r.data.map((d) => `${d.table} ${d.rows}`).join(', ')}\n`);
    } else out.write(r.sql);
    return 0;
  }
  if (command === 'render') return render(rest, out, err);
  if (command === 'init') return init(rest, err);
  if (command === 'migrations') return (await import('./migrations.js')).migrations(rest, out, err, isTTY);
  if (command === 'plan') return plan(rest, out, err);
  if (command === 'cleanup') return (await import('./cleanup.js')).cleanupCommand(rest, out, err);
  if (command !== 'check' && command !== 'prove') return usage(err, `unknown command "${command}"`);
  return checkOrProve(command, rest, out, err, isTTY);
}

/** `check` and `prove`, which share their options. */
async function checkOrProve(command: 'check' | 'prove', rest: string[], out: Out, err: Out, isTTY: boolean): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', default: 'text' },
        'fail-on': { type: 'string', default: 'error' },
        schema: { type: 'string', multiple: true },
        migrations: { type: 'string' },
        'migrations-format': { type: 'string', default: 'auto' },
        config: { type: 'string' },
        'no-color': { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        prove: { type: 'boolean', default: false },
        'database-url': { type: 'string' },
        'local-server': { type: 'boolean', default: false },
        seed: { type: 'string' },
        scale: { type: 'string' },
      },
    });
  } catch (e) {
    return usage(err, (e as Error).message);
  }
  const v = parsed.values;
  if (!['text', 'json', 'sarif'].includes(v.format!)) return usage(err, `unknown --format "${v.format}" (text, json or sarif)`);
  if (!['error', 'warning', 'info'].includes(v['fail-on']!)) return usage(err, `unknown --fail-on "${v['fail-on']}" (error, warning or info)`);
  if (!['auto', 'plain', 'flyway', 'golang-migrate', 'dbmate', 'prisma'].includes(v['migrations-format']!)) return usage(err, `unknown --migrations-format "${v['migrations-format']}"`);
  if (parsed.positionals.length > 1) return usage(err, 'check takes one design folder or file');
  if ((v.schema || v.migrations) && parsed.positionals.length) return usage(err, '--schema and --migrations check without a design; do not also name a design');
  const scale = v.scale === undefined ? undefined : Number(v.scale);
  if (scale !== undefined && (!Number.isInteger(scale) || scale < 10)) return usage(err, '--scale takes a whole number of rows, 10 or more');
  if (v['database-url'] && v['local-server']) return usage(err, 'use either --database-url or --local-server');
  const color = isTTY && !v['no-color'] && !process.env.NO_COLOR;
  if (command === 'prove') {
    if (v.format === 'sarif') return usage(err, 'prove prints text or json');
    const proof = await api.prove({
      target: parsed.positionals[0], schema: v.schema, migrations: v.migrations, migrationsFormat: v['migrations-format'] as 'auto', config: v.config,
      databaseUrl: v['database-url'], localServer: v['local-server'], seed: v.seed, scale,
    });
    if (!proof.ok) { err.write(`schemaproof: ${proof.message}\n`); return 2; }
    warn(err, proof);
    out.write(v.format === 'json' ? api.renderProofJson(proof) : api.renderProofText(proof, color));
    return proof.summary.refuted > 0 ? 1 : 0;
  }
  const result = await api.check({
    target: parsed.positionals[0],
    schema: v.schema,
    migrations: v.migrations,
    migrationsFormat: v['migrations-format'] as 'auto',
    config: v.config,
  });
  if (!result.ok) {
    err.write(`schemaproof: ${result.message}\n`);
    return 2;
  }
  let proof: ProveResult | undefined;
  if (v.prove) {
    const p = await api.prove({
      target: parsed.positionals[0], schema: v.schema, migrations: v.migrations, migrationsFormat: v['migrations-format'] as 'auto', config: v.config,
      databaseUrl: v['database-url'], localServer: v['local-server'], seed: v.seed, scale, checked: result,
    });
    if (!p.ok) { err.write(`schemaproof: ${p.message}\n`); return 2; }
    warn(err, p);
    proof = p;
  }
  printCheck(result, proof, { format: v.format!, verbose: v.verbose!, color }, out, err);
  const code = api.exitCodeFor(result.findings, v['fail-on'] as Severity);
  return proof && proof.summary.refuted > 0 ? 1 : code;
}

/** The findings (and the proof, with --prove) in the chosen format; --verbose adds the catalog's gaps on stderr. */
function printCheck(result: CheckResult, proof: ProveResult | undefined, o: { format: string; verbose: boolean; color: boolean }, out: Out, err: Out): void {
  const color = o.color;
  if (o.format === 'json') {
    out.write(proof ? `${JSON.stringify({ ...api.toJsonReport(result.findings, result.summary), proof: api.toProofJson(proof) }, null, 2)}\n` : api.renderJson(result.findings, result.summary));
  } else if (o.format === 'sarif') out.write(api.renderSarif(result.findings, api.RULES, VERSION));
  else {
    out.write(api.renderText(result.findings, result.summary, {
      color,
      lineOf: (file, line) => result.sources.get(file)?.lineText(line),
    }));
    if (proof) out.write(`\n${api.renderProofText(proof, color)}`);
  }
  if (o.verbose) {
    for (const u of result.catalog.unmodelled) err.write(`not modelled: ${u.loc.file}:${u.loc.line}:${u.loc.column} ${u.kind}: ${u.reason}\n`);
    for (const s of result.skipped) err.write(`skipped ${s.kind}: ${s.loc.file}:${s.loc.line}:${s.loc.column} ${s.text}\n`);
    err.write(`${result.statements.length} statements, ${result.catalog.tables.size} tables, ${result.catalog.indexes.size} indexes from ${result.schemaFiles.length} file(s)\n`);
  }
}

async function render(rest: string[], out: Out, err: Out): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: rest, allowPositionals: true, strict: true,
      options: {
        format: { type: 'string', default: 'markdown' }, out: { type: 'string' }, prove: { type: 'boolean', default: false },
        proof: { type: 'string' }, 'database-url': { type: 'string' }, 'local-server': { type: 'boolean', default: false },
        seed: { type: 'string' }, scale: { type: 'string' }, config: { type: 'string' },
        'schema-reference': { type: 'boolean', default: false }, schema: { type: 'string', multiple: true }, migrations: { type: 'string' },
      },
    });
  } catch (e) {
    return usage(err, (e as Error).message);
  }
  const v = parsed.values;
  if (!['markdown', 'html'].includes(v.format!)) return usage(err, `unknown --format "${v.format}" (markdown or html)`);
  if (v.prove && v.proof) return usage(err, 'use either --prove or --proof FILE');
  const target = parsed.positionals[0];
  const result = await api.check({ target, config: v.config, schema: v.schema, migrations: v.migrations });
  if (!result.ok) { err.write(`schemaproof: ${result.message}\n`); return 2; }
  if (v['schema-reference']) {
    const { buildSchemaReference } = await import('../document/schema-reference.js');
    const doc = buildSchemaReference(result);
    const text = v.format === 'html' ? api.renderHtml(doc) : api.renderMarkdown(doc);
    if (v.out) { if (!await writeOutput(v.out, text, err)) return 2; err.write(`wrote ${v.out}\n`); } else out.write(text);
    return 0;
  }
  if (!result.design) { err.write('schemaproof: render needs a design file (or --schema-reference)\n'); return 2; }
  let proof: import('../index.js').ProofLike | undefined;
  if (v.prove) {
    const p = await api.prove({ target, config: v.config, databaseUrl: v['database-url'], localServer: v['local-server'], seed: v.seed, scale: v.scale ? Number(v.scale) : undefined, checked: result });
    if (!p.ok) { err.write(`schemaproof: ${p.message}\n`); return 2; }
    warn(err, p);
    proof = p;
  } else if (v.proof) {
    try {
      const { readRegularFile } = await import('../load/read.js');
      const read = readRegularFile(v.proof, 256 * 1024 * 1024);
      if (!read.ok) throw new Error(`the file ${read.message}`);
      const j = JSON.parse(read.text);
      if (j?.version !== 1 || !Array.isArray(j.claims)) throw new Error('not a schemaproof proof (version 1)');
      proof = { engine: j.engine, summary: j.summary, claims: j.claims };
    } catch (e) {
      err.write(`schemaproof: cannot read ${v.proof}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  const doc = api.buildDesignDocument(result, proof);
  const text = v.format === 'html' ? api.renderHtml(doc) : api.renderMarkdown(doc);
  if (v.out) {
    if (!await writeOutput(v.out, text, err)) return 2;
    err.write(`wrote ${v.out}\n`);
  } else out.write(text);
  return 0;
}

async function init(rest: string[], err: Out): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { kind: { type: 'string' }, from: { type: 'string' }, title: { type: 'string' }, force: { type: 'boolean', default: false } } });
  } catch (e) {
    return usage(err, (e as Error).message);
  }
  const { existsSync } = await import('node:fs');
  const { join, relative, resolve } = await import('node:path');
  const { initDesign, KINDS } = await import('../document/init.js');
  const v = parsed.values;
  if (!v.kind || !KINDS.includes(v.kind)) return usage(err, `init needs --kind, one of ${KINDS.join(', ')}`);
  const dir = resolve(parsed.positionals[0] ?? '.');
  const file = join(dir, 'design.yaml');
  if (existsSync(file) && !v.force) { err.write(`schemaproof: ${file} exists; use --force to replace it\n`); return 2; }
  let catalog;
  let schemaRef: string | undefined;
  if (v.from) {
    const r = await api.check({ schema: v.from });
    if (!r.ok) { err.write(`schemaproof: ${r.message}\n`); return 2; }
    catalog = r.catalog;
    schemaRef = relative(dir, resolve(v.from));
    // A design reads only files inside its folder (a design from elsewhere must not read any file).
    if (!resolveInside(dir, schemaRef).ok) err.write(`schemaproof: note: ${v.from} is outside ${dir}; a design reads only files in its folder, so move the schema there (or the design next to it)\n`);
  }
  if (!makeFolder(dir, err) || !await writeOutput(file, initDesign(v.kind, catalog, schemaRef, v.title ?? 'TODO: name of the change'), err)) return 2;
  err.write(`wrote ${file}; run schemaproof check ${relative(process.cwd(), dir) || '.'} to see what remains to be written\n`);
  return 0;
}

async function plan(rest: string[], out: Out, err: Out): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { out: { type: 'string', default: 'schemaproof-plan' }, 'chunk-size': { type: 'string', default: '5000' } } });
  } catch (e) {
    return usage(err, (e as Error).message);
  }
  if (parsed.positionals.length !== 2) return usage(err, 'plan takes two schemas: OLD NEW (files, migration folders or design folders)');
  await loadApi();
  const [a, b] = await Promise.all(parsed.positionals.map((p) => api.checkPath(p)));
  if (!a!.ok) { err.write(`schemaproof: ${a!.message}\n`); return 2; }
  if (!b!.ok) { err.write(`schemaproof: ${b!.message}\n`); return 2; }
  const { planMigration } = await import('../migrations/plan.js');
  const p = planMigration(a!.catalog, b!.catalog, { chunkSize: Number(parsed.values['chunk-size']) || 5000 });
  const { join } = await import('node:path');
  const dir = parsed.values.out!;
  if (!makeFolder(dir, err)) return 2;
  for (const f of [...p.files.map((x) => ({ name: x.name, text: x.sql })), { name: 'plan.md', text: p.markdown }]) {
    if (!await writeOutput(join(dir, f.name), f.text, err)) return 2;
  }
  out.write(p.markdown);
  err.write(`wrote ${p.files.length} SQL file(s) and plan.md to ${dir}\n`);
  return 0;
}
