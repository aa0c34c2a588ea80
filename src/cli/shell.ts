/** What every command of the CLI shares: its output streams, usage errors, internal errors, files written. */
import { mkdirSync } from 'node:fs';
import { redact } from '../secrets.js';

export type Out = { write(s: string): unknown };

/** Exit code of an internal error (a bug): apart from 1, which CI reads as "findings". */
export const INTERNAL_ERROR = 3;

export function usage(err: Out, message: string): number {
  err.write(`schemaproof: ${message}\nRun schemaproof --help for usage.\n`);
  return 2;
}

/** One line for a bug that reached the top level (its stack only with --debug), secrets removed. */
export function internalError(e: unknown, err: Out, debug: boolean): number {
  const message = e instanceof Error ? e.message : String(e);
  const line = redact(message).split('\n')[0]!.slice(0, 500);
  err.write(`schemaproof: internal error: ${line} (please report it; --debug shows the stack)\n`);
  if (debug && e instanceof Error && e.stack) err.write(`${redact(e.stack)}\n`);
  return INTERNAL_ERROR;
}

/** Writes an output file; a folder in its place or a missing parent folder is a message, not a crash. */
export async function writeOutput(path: string, text: string, err: Out): Promise<boolean> {
  const { writeFileSync } = await import('node:fs');
  const { dirname } = await import('node:path');
  const { notAFile } = await import('../load/read.js');
  try {
    writeFileSync(path, text);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const bad = notAFile(dirname(path));
    const why = code === 'EISDIR' ? 'it is a directory'
      : code === 'ENOENT' ? `the folder ${dirname(path)} does not exist`
        : code === 'ENOTDIR' || bad?.reason === 'not-a-file' ? `${dirname(path)} is not a folder`
          : `${code ?? (e as Error).message}`;
    err.write(`schemaproof: cannot write ${path}: ${why}\n`);
    return false;
  }
}

/** Creates an output folder (and its parents); a file in the way is a message. */
export function makeFolder(dir: string, err: Out): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    err.write(`schemaproof: cannot create the folder ${dir}: ${code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way' : code ?? (e as Error).message}\n`);
    return false;
  }
}
