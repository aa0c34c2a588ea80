/**
 * Benchmark: `schemaproof check --schema FILE` against libpg-query alone parsing the same
 * file, in the same run, each in a fresh process (wall time and peak RSS), median of N runs.
 * Inputs: the largest real schema of ../shared/corpus (DHIS2's base schema) and the synthetic
 * 85k-line schema of ../shared/bench/make-big-sql.py.
 * Usage: node dist/bench/check.js [--runs N]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED = resolve(ROOT, '../shared');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;

interface Sample { wallMs: number; innerMs: number; rssMiB: number }

/** Runs a child that prints {innerMs} on its last line; peak RSS from the child's own resourceUsage. */
function measure(script: string, args: string[]): Sample {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallMs = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  const last = JSON.parse(r.stdout.trim().split('\n').pop()!);
  return { wallMs, innerMs: last.innerMs, rssMiB: last.maxRssKiB / 1024 };
}

const BARE = `
import { loadModule, parseSync } from 'libpg-query';
import { readFileSync } from 'node:fs';
const t0 = performance.now();
await loadModule();
const text = readFileSync(process.argv[1], 'utf8');
const r = parseSync(text);
const innerMs = performance.now() - t0;
console.log(JSON.stringify({ innerMs, stmts: r.stmts.length, maxRssKiB: process.resourceUsage().maxRSS }));
`;

const CHECK = `
import { check } from './dist/src/index.js';
const t0 = performance.now();
const r = await check({ schema: process.argv[1] });
const innerMs = performance.now() - t0;
console.log(JSON.stringify({ innerMs, findings: r.ok ? r.findings.length : -1, stmts: r.ok ? r.statements.length : 0, maxRssKiB: process.resourceUsage().maxRSS }));
`;

/** The CLI as a user runs it, output to a pipe. */
const CLI = `
import { main } from './dist/src/cli/main.js';
const t0 = performance.now();
let bytes = 0;
const code = await main(['check', '--schema', process.argv[1], '--format', 'json'], { write: (s) => { bytes += s.length; } }, process.stderr, false);
console.log(JSON.stringify({ innerMs: performance.now() - t0, code, bytes, maxRssKiB: process.resourceUsage().maxRSS }));
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function row(name: string, samples: Sample[]): string {
  const w = median(samples.map((s) => s.wallMs));
  const i = median(samples.map((s) => s.innerMs));
  const m = Math.max(...samples.map((s) => s.rssMiB));
  return `${name.padEnd(34)} ${w.toFixed(0).padStart(8)} ${i.toFixed(0).padStart(9)} ${m.toFixed(0).padStart(9)}`;
}

function main(): void {
  const outDir = join(ROOT, 'bench/out');
  mkdirSync(outDir, { recursive: true });
  const big = join(outDir, 'big.sql');
  if (!existsSync(big)) execFileSync('python3', [join(SHARED, 'bench/make-big-sql.py'), big], { stdio: 'inherit' });
  const inputs = [
    ['dhis2_base_schema.sql', join(SHARED, 'corpus/dhis2__dhis2-core/dhis-2/dhis-support/dhis-support-db-migration/src/main/resources/org/hisp/dhis/db/base/dhis2_base_schema.sql')],
    ['make-big-sql.py (85k lines)', big],
  ] as const;
  console.log(`node ${process.version}, ${runs} runs each, median wall and in-process time, max peak RSS\n`);
  for (const [label, file] of inputs) {
    const size = statSync(file).size;
    console.log(`${label}: ${(size / 1024 / 1024).toFixed(2)} MiB`);
    console.log(`${'command'.padEnd(34)} ${'wall ms'.padStart(8)} ${'inner ms'.padStart(9)} ${'RSS MiB'.padStart(9)}`);
    const bare: Sample[] = [];
    const chk: Sample[] = [];
    const cli: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      bare.push(measure(BARE, [file]));
      chk.push(measure(CHECK, [file]));
      cli.push(measure(CLI, [file]));
    }
    console.log(row('libpg-query parseSync (bare)', bare));
    console.log(row('schemaproof check (API)', chk));
    console.log(row('schemaproof check --format json', cli));
    const ratio = median(chk.map((s) => s.innerMs)) / median(bare.map((s) => s.innerMs));
    console.log(`check / bare parse: ${ratio.toFixed(2)}x; throughput ${(size / 1024 / 1024 / (median(chk.map((s) => s.innerMs)) / 1000)).toFixed(2)} MiB/s\n`);
  }
}

main();
