/**
 * Ctrl-C and SIGTERM during a proof: every engine registers what it must undo (drop its
 * throwaway database and roles, stop its cluster). On the first signal those run, then the
 * process exits 130 (SIGINT) or 143 (SIGTERM); a second signal exits at once.
 */
type Closer = () => Promise<void>;

const closers = new Set<Closer>();
let installed = false;
let exiting = false;

/** How long cleanup may take before the process exits anyway. */
const CLEANUP_LIMIT_MS = 20_000;

async function onSignal(code: number): Promise<void> {
  if (exiting) process.exit(code);
  exiting = true;
  const pending = [...closers];
  closers.clear();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled(pending.map((f) => f())),
    new Promise((r) => { timer = setTimeout(r, CLEANUP_LIMIT_MS); }),
  ]);
  clearTimeout(timer);
  process.exit(code);
}

/** True once a signal arrived: the run's queries stop answering so that only cleanup goes on. */
export function interrupted(): boolean {
  return exiting;
}

/** A promise that never settles: what a query returns after an interrupt, so the run halts where it is. */
export function halt<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

/** Runs `fn` if the process is interrupted before the returned function is called. */
export function onInterrupt(fn: Closer): () => void {
  closers.add(fn);
  if (!installed) {
    installed = true;
    process.on('SIGINT', () => { void onSignal(130); });
    process.on('SIGTERM', () => { void onSignal(143); });
  }
  return () => { closers.delete(fn); };
}
