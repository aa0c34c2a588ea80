/**
 * The migration files that paths name (files, or folders in a detected layout): read as regular
 * files only, and a folder without one migration is a problem, never a silent clean run.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { MAX_SQL_BYTES, notAFile, overBudget, readRegularFile } from '../read.js';
import { detectMigrations, type MigrationFormat } from './detect.js';

export interface MigrationInput {
  readonly path: string;
  readonly text: string;
  /** The layout of the folder it was found in; undefined for a file named alone. */
  readonly format: MigrationFormat | undefined;
}

export function readMigrationInputs(paths: readonly string[], cwd: string, format: MigrationFormat | 'auto'): { ok: true; files: MigrationInput[] } | { ok: false; message: string } {
  const files: MigrationInput[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const bad = notAFile(abs);
    if (bad?.reason === 'missing') return { ok: false, message: `no such file or folder: ${p}` };
    if (bad?.reason === 'not-a-file' && statSync(abs).isDirectory()) {
      const set = detectMigrations(abs, format);
      if (!set.files.length) return { ok: false, message: `no migration found in ${p} (no .sql file${format === 'auto' ? '' : ` in the ${format} layout`})` };
      for (const f of set.files) files.push({ path: f.path, text: f.text, format: set.format });
      continue;
    }
    const read = readRegularFile(abs, MAX_SQL_BYTES);
    if (!read.ok) return { ok: false, message: `${p} ${read.message}` };
    files.push({ path: abs, text: read.text, format: undefined });
  }
  const total = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
  if (total > MAX_SQL_BYTES) return { ok: false, message: overBudget(total).replace(/^not read: with it the/, 'the') };
  return { ok: true, files };
}
