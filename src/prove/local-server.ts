/**
 * `--local-server`: a throwaway PostgreSQL cluster from the initdb/pg_ctl on PATH, on a unix
 * socket in a temporary folder (no TCP), removed at the end. As root the binaries run as the
 * `postgres` system user, since PostgreSQL refuses to run as root.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalServer {
  readonly url: string;
  readonly dir: string;
  stop(): Promise<void>;
}

function which(bin: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p ? p : undefined;
}

export async function startLocalServer(): Promise<LocalServer> {
  const initdb = which('initdb');
  const pgCtl = which('pg_ctl');
  if (!initdb || !pgCtl) throw new Error('--local-server needs initdb and pg_ctl on PATH (PostgreSQL server binaries)');
  const dir = mkdtempSync(join(tmpdir(), 'schemaproof-pg-'));
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const run = (bin: string, args: string[]): void => {
    const cmd = asRoot ? 'runuser' : bin;
    const full = asRoot ? ['-u', 'postgres', '--', bin, ...args] : args;
    execFileSync(cmd, full, { stdio: ['ignore', 'pipe', 'pipe'] });
  };
  if (asRoot) {
    chmodSync(dir, 0o777);
    execFileSync('chown', ['postgres', dir]);
  }
  const data = join(dir, 'data');
  const port = 20000 + Math.floor(Math.random() * 40000);
  try {
    run(initdb, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    run(pgCtl, ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off`, '-l', join(dir, 'log'), '-w', 'start']);
  } catch (e) {
    const log = existsSync(join(dir, 'log')) ? ` (see ${join(dir, 'log')})` : '';
    throw new Error(`could not start a local PostgreSQL server: ${(e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message}${log}`);
  }
  let stopped = false;
  return {
    url: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(dir)}&port=${port}`,
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      try { run(pgCtl, ['-D', data, '-m', 'immediate', 'stop']); } catch { /* already down */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
