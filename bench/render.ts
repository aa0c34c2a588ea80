/**
 * Benchmark: `render --schema-reference` of the largest corpus schema (DHIS2's base schema),
 * Markdown and HTML, each in a fresh process: wall time and peak RSS, median of N runs.
 * Usage: node dist/bench/render.js [--runs N]
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FILE = resolve(ROOT, '../shared/corpus/dhis2__dhis2-core/dhis-2/dhis-support/dhis-support-db-migration/src/main/resources/org/hisp/dhis/db/base/dhis2_base_schema.sql');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;

const CHILD = `
import { buildSchemaReference, check, renderHtml, renderMarkdown } from './dist/src/index.js';
const t0 = performance.now();
const r = await check({ schema: process.argv[1] });
const doc = buildSchemaReference(r);
const out = process.argv[2] === 'html' ? renderHtml(doc) : renderMarkdown(doc);
console.log(JSON.stringify({ ms: performance.now() - t0, bytes: out.length, tables: r.catalog.tables.size, maxRssKiB: process.resourceUsage().maxRSS }));
`;

for (const format of ['markdown', 'html']) {
  const samples: { wall: number; inner: number; rss: number; bytes: number; tables: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, FILE, format], { cwd: ROOT, encoding: 'utf8' });
    const wall = performance.now() - t;
    const j = JSON.parse(r.stdout.trim());
    samples.push({ wall, inner: j.ms, rss: j.maxRssKiB / 1024, bytes: j.bytes, tables: j.tables });
  }
  const med = (k: 'wall' | 'inner') => [...samples.map((s) => s[k])].sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  console.log(`schema reference of dhis2_base_schema.sql (${(statSync(FILE).size / 1048576).toFixed(2)} MiB, ${samples[0]!.tables} tables) as ${format}: wall ${med('wall').toFixed(0)} ms, in-process ${med('inner').toFixed(0)} ms, peak RSS ${Math.max(...samples.map((s) => s.rss)).toFixed(0)} MiB, output ${(samples[0]!.bytes / 1048576).toFixed(2)} MiB`);
}
