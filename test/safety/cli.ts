/** Runs the real CLI (`node bin/schemaproof.js`) as a child process, so exit codes and signals are real. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** The environment of a child: no PG* variables from the caller, no colour. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PG')) env[k] = v;
  return { ...env, NO_COLOR: '1', ...extra };
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): { child: ChildProcess; done: Promise<CliRun> } {
  const t0 = Date.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin/schemaproof.js'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 }));
  });
  return { child, done };
}

/** Runs to the end; a run that hangs is killed after `timeoutMs` (and shows as signal SIGKILL). */
export async function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliRun> {
  const { child, done } = startCli(args, opts.env);
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 90_000);
  try { return await done; } finally { clearTimeout(timer); }
}

/** Lines of a stack trace (`    at fn (file:line)`), which the CLI must never print. */
export function stackLines(text: string): string[] {
  return text.split('\n').filter((l) => /^\s+at /.test(l));
}

/** A short account of a run for assertion messages. */
export function describeRun(r: CliRun): string {
  const cut = (s: string): string => (s.length > 1500 ? `${s.slice(0, 1500)}...` : s);
  return `exit ${r.code ?? r.signal} after ${r.ms} ms\nstderr: ${cut(r.stderr)}\nstdout: ${cut(r.stdout)}`;
}
