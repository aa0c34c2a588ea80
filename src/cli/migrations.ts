/** `schemaproof migrations`: lints migration files, optionally traced on PostgreSQL. */
import { parseArgs } from 'node:util';
import type { Severity } from '../types.js';
import { VERSION } from '../version.js';
import { type Out, usage } from './shell.js';

export async function migrations(rest: string[], out: Out, err: Out, isTTY: boolean): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: rest, allowPositionals: true, strict: true,
      options: {
        'pg-version': { type: 'string' }, 'assume-in-transaction': { type: 'boolean' }, config: { type: 'string' },
        format: { type: 'string', default: 'text' }, 'fail-on': { type: 'string', default: 'error' },
        'migrations-format': { type: 'string', default: 'auto' }, 'no-color': { type: 'boolean', default: false },
        trace: { type: 'boolean', default: false }, 'trace-rows': { type: 'string', default: '1000' },
        'database-url': { type: 'string' }, 'local-server': { type: 'boolean', default: false },
        design: { type: 'string' },
      },
    });
  } catch (e) {
    return usage(err, (e as Error).message);
  }
  const v = parsed.values;
  const pg = v['pg-version'] === undefined ? undefined : Number(v['pg-version']);
  if (pg !== undefined && (!Number.isInteger(pg) || pg < 9 || pg > 30)) return usage(err, '--pg-version takes a major version such as 15');
  if (!['text', 'json', 'sarif'].includes(v.format!)) return usage(err, `unknown --format "${v.format}" (text, json or sarif)`);
  if (!['error', 'warning', 'info'].includes(v['fail-on']!)) return usage(err, `unknown --fail-on "${v['fail-on']}"`);
  if (!parsed.positionals.length) return usage(err, 'migrations needs at least one file or folder');
  if ((v['database-url'] || v['local-server']) && !v.trace) return usage(err, '--database-url and --local-server choose where --trace runs; add --trace');
  if (v['database-url'] && v['local-server']) return usage(err, 'use either --database-url or --local-server');
  // The parser's WASM compiles off the main thread while the rest of the code loads.
  const parserReady = import('../load/sql/parse.js').then((m) => m.initParser());
  const { lintMigrations } = await import('../migrations/lint.js');
  const { RULES } = await import('../rules/index.js');
  const { renderJson } = await import('../render/json.js');
  const { renderText } = await import('../render/text.js');
  const { renderSarif } = await import('../render/sarif.js');
  const { exitCodeFor, summarize } = await import('../report/findings.js');
  await parserReady;
  // A design beside the migrations tells the rules which tables are big (volumes) and which
  // access patterns use them.
  const design = v.design ? await designArg(v.design, err) : undefined;
  if (typeof design === 'number') return design;
  // schemaproof.yaml (named, or found from the first path up): rule settings and the
  // migrations' defaults, which the flags override.
  const { migrationsConfig } = await import('../config/find.js');
  const settings = await migrationsConfig({ paths: parsed.positionals, configFile: v.config, pgVersion: pg, assumeInTransaction: v['assume-in-transaction'], knownRules: new Set(RULES.map((x) => x.id)) });
  if (!settings.ok) {
    err.write(settings.problems.map((p) => `schemaproof: ${p.loc.file}:${p.loc.line}:${p.loc.column} ${p.message}\n`).join(''));
    return 2;
  }
  const r = await lintMigrations(RULES, {
    design, paths: parsed.positionals, config: settings.rules, format: v['migrations-format'] as 'auto',
    pgVersion: settings.pgVersion, assumeInTransaction: settings.assumeInTransaction,
  });
  if (!r.ok) { err.write(`schemaproof: ${r.message}\n`); return 2; }
  let findings = r.findings;
  let traceText = '';
  if (v.trace) {
    const { traceMigrations, renderTrace } = await import('../migrations/trace.js');
    const t = await traceMigrations({ paths: parsed.positionals, rows: Number(v['trace-rows']) || 1000, databaseUrl: v['database-url'], localServer: v['local-server'] });
    if (!t.ok) { err.write(`schemaproof: ${t.message}\n`); return 2; }
    // Findings cite what PostgreSQL did, not only the static model.
    const seen = new Map(t.statements.map((x) => [`${x.file}:${x.line}`, x]));
    findings = findings.map((f) => {
      const o = seen.get(`${f.file}:${f.line}`) ?? [...seen.values()].find((x) => x.file === f.file && x.line <= f.line && f.line - x.line < 20 && x.statement);
      if (!o || o.error) return f;
      const locks = o.locks.map((l) => `${l.mode} on ${l.relation}`).join(', ') || o.note || 'no table lock';
      return { ...f, message: `${f.message} Observed at ${o.rows} rows: ${locks}${o.rewritten.length ? `, rewrote ${o.rewritten.join(', ')}` : ', no rewrite'}, ${o.ms.toFixed(1)} ms.` };
    });
    traceText = `\nObserved on ${t.engine === 'pglite' ? 'PGlite' : 'PostgreSQL'} (${t.isolation}; ${v['trace-rows']} generated rows per table):\n\n${renderTrace(t.statements)}`;
  }
  const summary = summarize(findings);
  if (v.format === 'json') out.write(renderJson(findings, summary));
  else if (v.format === 'sarif') out.write(renderSarif(findings, RULES, VERSION));
  else {
    out.write(renderText(findings, summary, { color: isTTY && !v['no-color'] && !process.env.NO_COLOR, lineOf: (file, line) => r.sources.get(file)?.lineText(line) }));
    if (traceText) out.write(traceText);
  }
  return exitCodeFor(findings, v['fail-on'] as Severity);
}

/** The design `--design` names (volumes and access patterns for the rules), or the exit code when it cannot be used. */
async function designArg(file: string, err: Out): Promise<import('../load/design/types.js').Design | number> {
  const { loadDesignFile } = await import('../load/design/load.js');
  const { notAFile } = await import('../load/read.js');
  const bad = notAFile(file);
  if (bad) return usage(err, bad.reason === 'missing' ? `no such design file: ${file}` : `the design file ${file} ${bad.message}`);
  const d = loadDesignFile(file);
  if (!d.design) { err.write(`schemaproof: ${d.problems.map((p) => `${p.loc.file}:${p.loc.line}:${p.loc.column} ${p.message}`).join('\n') || `cannot read ${file}`}\n`); return 2; }
  return d.design;
}
