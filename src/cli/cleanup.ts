/** `schemaproof cleanup --database-url URL [--dry-run]`: drops what killed runs left on a server. */
import { parseArgs } from 'node:util';
import type { LeftObject } from '../prove/cleanup.js';

type Out = { write(s: string): unknown };

function line(o: LeftObject): string {
  const what = `${o.kind} ${o.name} (run ${o.run}, started ${o.started})`;
  if (o.outcome === 'dropped') return `dropped ${what}`;
  if (o.outcome === 'kept') return `kept    ${what}: ${o.reason}`;
  return `failed  ${what}: ${o.reason}`;
}

export async function cleanupCommand(rest: string[], out: Out, err: Out): Promise<number> {
  let v;
  try {
    ({ values: v } = parseArgs({ args: rest, strict: true, options: { 'database-url': { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, format: { type: 'string', default: 'text' } } }));
  } catch (e) {
    err.write(`schemaproof: ${(e as Error).message}\nRun schemaproof --help for usage.\n`);
    return 2;
  }
  if (!v['database-url']) { err.write('schemaproof: cleanup needs --database-url URL (the server the runs used)\n'); return 2; }
  if (v.format !== 'text' && v.format !== 'json') { err.write(`schemaproof: unknown --format "${v.format}" (text or json)\n`); return 2; }
  const { cleanup } = await import('../prove/cleanup.js');
  const r = await cleanup({ databaseUrl: v['database-url'], dryRun: v['dry-run'] });
  if (!r.ok) { err.write(`schemaproof: ${r.message}\n`); return 2; }
  if (v.format === 'json') out.write(`${JSON.stringify({ version: 1, objects: r.objects }, null, 2)}\n`);
  else if (!r.objects.length) out.write('Nothing left by earlier runs.\n');
  else out.write(`${r.objects.map(line).join('\n')}\n`);
  return r.objects.some((o) => o.outcome === 'failed') ? 1 : 0;
}
