/**
 * Benchmark, side by side in one run: `schemaproof migrations` and squawk (npm squawk-cli) on
 * the synthetic 85k-line file and on the corpus migration folders: wall time and peak RSS
 * (from /usr/bin/time when present, else the child's own report), JSON and text output.
 * Also prints schemaproof's findings per rule on the corpus histories.
 * Usage: node dist/bench/migrations.js
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintMigrations, RULES } from '../src/index.js';
import { corpusSets } from './corpus.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED = resolve(ROOT, '../shared');
const SQUAWK = join(ROOT, 'node_modules/.bin/squawk');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
/** squawk's native binary, which the npm package's `squawk` script starts. */
const SQUAWK_BINARY = join(ROOT, 'node_modules/@squawk-cli/linux-x64/bin/squawk');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** One run: wall time, peak RSS (from /usr/bin/time when present), output size. */
function once(cmd: string, args: string[]): { ms: number; rssMiB?: number; bytes: number; status: number | null } {
  const t = performance.now();
  const r = TIME
    ? spawnSync(TIME, ['-f', '%M', cmd, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t;
  const rss = TIME ? Number(r.stderr.trim().split('\n').pop()) / 1024 : undefined;
  return { ms, rssMiB: rss, bytes: r.stdout.length, status: r.status };
}

type Runs = { median: number; min: number; max: number; rssMiB?: number; bytes: number };

/**
 * The commands run in turns (a, b, c, a, b, c, ...) `RUNS` times, so a slow moment of this
 * shared machine falls on all of them alike; each row is the median with min-max.
 */
function measureTogether(cmds: { label: string; cmd: string; args: string[] }[]): Map<string, Runs> {
  const all = new Map<string, ReturnType<typeof once>[]>(cmds.map((c) => [c.label, []]));
  for (let i = 0; i < RUNS; i++) for (const c of cmds) all.get(c.label)!.push(once(c.cmd, c.args));
  const out = new Map<string, Runs>();
  for (const [label, runs] of all) {
    const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
    const rss = runs.map((r) => r.rssMiB).filter((x): x is number => x !== undefined);
    out.set(label, { median: ms[Math.floor(ms.length / 2)]!, min: ms[0]!, max: ms[ms.length - 1]!, rssMiB: rss.length ? Math.max(...rss) : undefined, bytes: runs[0]!.bytes });
  }
  return out;
}

function line(label: string, m: Runs): string {
  return `${label.padEnd(44)} ${m.median.toFixed(0).padStart(6)} ms (${m.min.toFixed(0)}-${m.max.toFixed(0)}) ${m.rssMiB === undefined ? '    n/a' : `${m.rssMiB.toFixed(0).padStart(5)} MiB`} ${(m.bytes / 1024).toFixed(0).padStart(7)} KiB out`;
}

function table(cmds: { label: string; cmd: string; args: string[] }[]): void {
  for (const [label, m] of measureTogether(cmds)) console.log(line(label, m));
}

async function main(): Promise<void> {
  // squawk is a benchmark peer, not a dependency: installed here on demand, never saved.
  if (!existsSync(SQUAWK)) {
    try { execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', 'squawk-cli@2.66.0'], { cwd: ROOT, stdio: 'ignore' }); } catch { console.log('(could not install squawk-cli; its rows are left out)'); }
  }
  const out = join(ROOT, 'bench/out');
  mkdirSync(out, { recursive: true });
  const big = join(out, 'big.sql');
  if (!existsSync(big)) execFileSync('python3', [join(SHARED, 'bench/make-big-sql.py'), big]);
  const sp = [join(ROOT, 'bin/schemaproof.js'), 'migrations'];
  console.log(`median wall time of ${RUNS} runs taken in turns (min-max), peak RSS${TIME ? '' : ' (no /usr/bin/time: n/a)'}, output size\n`);
  const squawk = (label: string, args: string[]): { label: string; cmd: string; args: string[] }[] => [
    ...(existsSync(SQUAWK) ? [{ label: `squawk ${label} (npm script)`, cmd: SQUAWK, args }] : []),
    ...(existsSync(SQUAWK_BINARY) ? [{ label: `squawk ${label} (its binary)`, cmd: SQUAWK_BINARY, args }] : []),
  ];
  console.log('85k-line synthetic schema (bench/out/big.sql):');
  table([
    { label: 'schemaproof migrations --format json', cmd: process.execPath, args: [...sp, big, '--format', 'json'] },
    { label: 'schemaproof migrations (text)', cmd: process.execPath, args: [...sp, big, '--no-color'] },
    ...squawk('--reporter json', ['--reporter', 'json', big]),
  ]);
  if (existsSync(SQUAWK)) console.log('(squawk\'s default text reporter took 105 s on this file when measured here before; not rerun)');
  // Real histories, the same files in the same order for both tools.
  for (const name of ['lemmy-diesel', 'dhis2-flyway', 'langfuse-prisma']) {
    const files = corpusSets(join(SHARED, 'corpus')).find((s) => s.name === name)?.files ?? [];
    if (!files.length) continue;
    console.log(`\n${name} history (${files.length} files):`);
    table([
      { label: 'schemaproof migrations --format json', cmd: process.execPath, args: [...sp, ...files, '--format', 'json'] },
      ...squawk('--reporter json', ['--reporter', 'json', ...files]),
    ]);
  }

  console.log('\nschemaproof migration findings per rule on the corpus histories:');
  const counts: Record<string, number> = {};
  let files = 0;
  for (const set of corpusSets(join(SHARED, 'corpus')).filter((s) => s.files.length > 1)) {
    const r = await lintMigrations(RULES, { paths: set.files, cwd: join(SHARED, 'corpus') });
    if (!r.ok) { console.log(`${set.name}: ${r.message}`); continue; }
    files += r.files.length;
    for (const f of r.findings) counts[f.rule] = (counts[f.rule] ?? 0) + 1;
  }
  console.log(`${files} files linted, 0 crashes`);
  for (const [rule, n] of Object.entries(counts).sort((a, b) => b[1] - a[1])) console.log(`  ${rule.padEnd(44)} ${n}`);
}

await main();
