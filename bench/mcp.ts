/**
 * Benchmark: a proof of the regulatory example through the MCP server (stdio, as an agent runs
 * it), with `rules` asked every 100 ms meanwhile: wall time of the proof, the server's peak RSS
 * (its worker included), and how long `rules` took to answer (median, 95th percentile, worst).
 * Usage: node dist/bench/mcp.js [--scale N]   (default 200000, the tool's maximum)
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const at = process.argv.indexOf('--scale');
const scale = at > 0 ? Number(process.argv[at + 1]) : 200_000;

/** Peak resident memory of a process so far (Linux: VmHWM), in MiB. */
function peakMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const transport = new StdioClientTransport({ command: process.execPath, args: [join(ROOT, 'bin/schemaproof.js'), 'mcp'], cwd: ROOT, stderr: 'inherit' });
const client = new Client({ name: 'bench', version: '1.0.0' });
await client.connect(transport);
const pid = transport.pid!;
const idle = peakMiB(pid);
const t0 = performance.now();
let done = false;
const proving = client.callTool({ name: 'prove', arguments: { path: 'examples/case-assignment', scale } }, undefined, { timeout: 3_600_000 })
  .finally(() => { done = true; });
const latencies: number[] = [];
while (!done) {
  const t = performance.now();
  await client.callTool({ name: 'rules', arguments: {} });
  if (!done) latencies.push(performance.now() - t);
  await new Promise((r) => setTimeout(r, 100));
}
const result = await proving;
const proofMs = performance.now() - t0;
const peak = peakMiB(pid);
await client.close();
const text = (result.content as { text: string }[])[0]!.text;
const summary = result.isError ? text : JSON.stringify(JSON.parse(text).summary);
latencies.sort((a, b) => a - b);
const q = (p: number): string => (latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN).toFixed(0);
console.log(`prove --scale ${scale} via MCP: ${(proofMs / 1000).toFixed(1)} s, ${summary}`);
console.log(`server peak RSS ${peak.toFixed(0)} MiB (${idle.toFixed(0)} MiB before the proof)`);
console.log(`rules while it ran: ${latencies.length} calls, median ${q(0.5)} ms, p95 ${q(0.95)} ms, worst ${q(1)} ms`);
