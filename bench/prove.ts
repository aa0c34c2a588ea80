/**
 * Benchmark: `prove` of the regulatory example on PGlite and on a local PostgreSQL server
 * (started once, outside the timing), each in a fresh process: wall time and peak RSS, with
 * the engine start-up shown apart. PGlite is measured cold (no cached data directory) and warm.
 * Usage: node dist/bench/prove.js [--runs N]
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalServer } from '../src/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;

const CHILD = `
import { prove } from './dist/src/index.js';
const t0 = performance.now();
const r = await prove({ target: 'examples/case-assignment', databaseUrl: process.argv[1] || undefined });
const wallMs = performance.now() - t0;
if (!r.ok) { console.error(r.message); process.exit(2); }
console.log(JSON.stringify({ wallMs, timings: r.timings, summary: r.summary, maxRssKiB: process.resourceUsage().maxRSS }));
`;

interface Sample { processMs: number; innerMs: number; startupMs: number; generateMs: number; claimsMs: number; rssMiB: number; summary: string }

function once(url: string): Sample {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, url], { cwd: ROOT, encoding: 'utf8' });
  const processMs = performance.now() - t;
  if (r.status !== 0) throw new Error(r.stderr);
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!);
  return {
    processMs, innerMs: j.wallMs, startupMs: j.timings.startupMs, generateMs: j.timings.generateMs, claimsMs: j.timings.claimsMs,
    rssMiB: j.maxRssKiB / 1024, summary: `${j.summary.proven}/${j.summary.refuted}/${j.summary.unproven}`,
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function row(label: string, s: Sample[]): string {
  const f = (k: keyof Sample) => median(s.map((x) => x[k] as number)).toFixed(0).padStart(8);
  return `${label.padEnd(26)}${f('processMs')}${f('innerMs')}${f('startupMs')}${f('generateMs')}${f('claimsMs')}${Math.max(...s.map((x) => x.rssMiB)).toFixed(0).padStart(8)}  ${s[0]!.summary}`;
}

async function main(): Promise<void> {
  console.log(`prove examples/case-assignment, median of ${runs} runs (ms), peak RSS (MiB), claims proven/refuted/unproven\n`);
  console.log(`${'engine'.padEnd(26)}${'process'.padStart(8)}${'prove'.padStart(8)}${'startup'.padStart(8)}${'data'.padStart(8)}${'claims'.padStart(8)}${'RSS'.padStart(8)}`);
  rmSync(join(ROOT, 'node_modules/.cache/schemaproof'), { recursive: true, force: true });
  console.log(row('PGlite, cold (no cache)', [once('')]));
  console.log(row('PGlite, cached data dir', Array.from({ length: runs }, () => once(''))));
  const t = performance.now();
  const server = await startLocalServer();
  const serverMs = performance.now() - t;
  try {
    console.log(row('local server (PG 15)', Array.from({ length: runs }, () => once(server.url))));
  } finally {
    await server.stop();
  }
  console.log(`\nlocal server start (initdb + pg_ctl start), outside the timings above: ${serverMs.toFixed(0)} ms`);
}

await main();
