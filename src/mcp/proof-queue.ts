/**
 * One proof (or trace) at a time, on a worker thread (proof-worker.ts): `rules`, `check` and
 * the other tools keep answering while PGlite fills tables. A cancelled request drops its job
 * from the queue, or stops the worker when it is the one running (its memory goes with it);
 * the next job starts a fresh worker.
 */
import { Worker } from 'node:worker_threads';
import { redact } from '../secrets.js';
import type { ProofJob, ProofReply } from './proof-worker.js';

interface Pending {
  readonly job: ProofJob;
  readonly signal?: AbortSignal;
  readonly done: (reply: ProofReply) => void;
}

/** Bounds the worker's JavaScript heap: a runaway proof ends with an error, not the server. */
const WORKER_HEAP_MB = 2048;

export class ProofQueue {
  private worker: Worker | undefined;
  private current: Pending | undefined;
  private readonly waiting: Pending[] = [];

  run(job: ProofJob, signal?: AbortSignal): Promise<ProofReply> {
    return new Promise((done) => {
      const p: Pending = { job, signal, done };
      if (signal?.aborted) { done(cancelled); return; }
      signal?.addEventListener('abort', () => this.cancel(p), { once: true });
      this.waiting.push(p);
      this.next();
    });
  }

  /** Stops the worker; jobs still queued end as cancelled. */
  close(): void {
    for (const p of this.waiting.splice(0)) p.done(cancelled);
    void this.worker?.terminate();
  }

  private cancel(p: Pending): void {
    const i = this.waiting.indexOf(p);
    if (i >= 0) { this.waiting.splice(i, 1); p.done(cancelled); return; }
    if (this.current === p) void this.worker?.terminate(); // 'exit' settles it
  }

  private next(): void {
    if (this.current) return;
    const p = this.waiting.shift();
    if (!p) return;
    this.current = p;
    this.ensureWorker().postMessage(p.job);
  }

  private finish(reply: ProofReply): void {
    const p = this.current;
    this.current = undefined;
    p?.done(reply);
    this.next();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./proof-worker.js', import.meta.url), { stdout: true, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    // stdout is the MCP channel: anything a library prints there goes to stderr instead.
    w.stdout.pipe(process.stderr);
    w.on('message', (reply: ProofReply) => this.finish(reply));
    w.on('error', (e: Error) => {
      process.stderr.write(redact(`schemaproof mcp: the proof worker failed: ${e.stack ?? e.message}\n`));
      this.dropWorker(w, { ok: false, message: `the proof stopped: ${e.message}` });
    });
    w.on('exit', () => this.dropWorker(w, this.current?.signal?.aborted ? cancelled : { ok: false, message: 'the proof stopped: its worker exited' }));
    // An idle worker does not keep the server alive once its client has gone.
    w.unref();
    this.worker = w;
    return w;
  }

  private dropWorker(w: Worker, reply: ProofReply): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    void w.terminate();
    if (this.current) this.finish(reply);
  }
}

const cancelled: ProofReply = { ok: false, message: 'cancelled by the client' };
