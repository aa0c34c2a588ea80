/**
 * Runs proofs and traces for the MCP server on a thread of their own, so that a proof of
 * minutes leaves the server's event loop free. Imports the library as the server does and
 * posts back the same JSON the tools return.
 */
import { parentPort } from 'node:worker_threads';
import { prove, toProofJson, traceMigrations } from '../index.js';
import { redact, registerUrlSecrets } from '../secrets.js';

export type ProofJob =
  | { readonly kind: 'prove'; readonly target?: string; readonly databaseUrl?: string; readonly seed?: string; readonly scale?: number; readonly cwd: string }
  | { readonly kind: 'trace'; readonly paths: readonly string[]; readonly rows?: number; readonly databaseUrl?: string; readonly cwd: string };

/** `json` is the tool's result as JSON text; `message` the one line an input error or a failure gives. */
export type ProofReply = { readonly ok: true; readonly json: string } | { readonly ok: false; readonly message: string };

async function run(job: ProofJob): Promise<ProofReply> {
  if (job.kind === 'prove') {
    const r = await prove({ target: job.target, databaseUrl: job.databaseUrl, seed: job.seed, scale: job.scale, cwd: job.cwd });
    return r.ok ? { ok: true, json: JSON.stringify(toProofJson(r)) } : { ok: false, message: r.message };
  }
  const t = await traceMigrations({ paths: job.paths, rows: job.rows, databaseUrl: job.databaseUrl, cwd: job.cwd });
  return t.ok ? { ok: true, json: JSON.stringify({ isolation: t.isolation, statements: t.statements }) } : { ok: false, message: t.message };
}

parentPort?.on('message', (job: ProofJob) => {
  if (job.databaseUrl) registerUrlSecrets(job.databaseUrl);
  run(job).then(
    (reply) => parentPort!.postMessage(reply),
    (e: unknown) => {
      // A bug: the stack goes to the operator's stderr, one line to the agent.
      process.stderr.write(redact(`schemaproof mcp: ${job.kind} failed: ${e instanceof Error ? e.stack : String(e)}\n`));
      parentPort!.postMessage({ ok: false, message: `${job.kind} failed: ${e instanceof Error ? e.message : String(e)}` } satisfies ProofReply);
    },
  );
});
