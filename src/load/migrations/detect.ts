/** Migration folder layouts, detected from file names, and their apply order. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { resolveInside } from '../paths.js';

export type MigrationFormat = 'plain' | 'flyway' | 'golang-migrate' | 'dbmate' | 'prisma' | 'diesel';

export interface MigrationFile {
  readonly path: string;
  /** The SQL that runs forward: the whole file, or dbmate's `-- migrate:up` section. */
  readonly text: string;
  readonly version: string;
  readonly name: string;
}

export interface MigrationSet {
  readonly dir: string;
  readonly format: MigrationFormat;
  readonly files: MigrationFile[];
  /** Files left unread because their real path leaves the folder (with `confined`). */
  readonly outside?: string[];
}

function statSafe(p: string): ReturnType<typeof statSync> | undefined {
  try { return statSync(p); } catch { return undefined; }
}

function walk(dir: string, depth = 0): string[] {
  if (depth > 6) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    // A symbolic link counts as what it points to (a broken link is skipped); depth bounds cycles.
    const target = e.isSymbolicLink() ? statSafe(p) : e;
    if (target?.isDirectory()) out.push(...walk(p, depth + 1));
    else if (target?.isFile()) out.push(p);
  }
  return out;
}

/** Natural order: digit runs compare as numbers, so V2_10 follows V2_9. */
export function naturalCompare(a: string, b: string): number {
  const ax = a.match(/\d+|\D+/g) ?? [];
  const bx = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ax.length, bx.length); i++) {
    const x = ax[i]!;
    const y = bx[i]!;
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) return BigInt(x) < BigInt(y) ? -1 : BigInt(x) > BigInt(y) ? 1 : x.length - y.length;
    return x < y ? -1 : 1;
  }
  return ax.length - bx.length;
}

const FLYWAY = /^V([0-9][0-9._]*)__(.+)\.sql$/i;
const GOLANG_UP = /^(\d+)_(.+)\.up\.sql$/i;

/** dbmate: the text between `-- migrate:up` and `-- migrate:down`, lines kept in place. */
export function dbmateUp(text: string): string | undefined {
  const up = /^--\s*migrate:up\b.*$/m.exec(text);
  if (!up) return undefined;
  const down = /^--\s*migrate:down\b.*$/m.exec(text.slice(up.index));
  const end = down ? up.index + down.index : text.length;
  // Keep the text before the up marker as blank lines so line numbers stay true.
  const before = text.slice(0, up.index).replace(/[^\n]/g, ' ');
  return before + text.slice(up.index, end);
}

/** `confined`: files whose real path leaves `dir` (a symlink out) are neither read nor listed, only named in `outside`. */
export function detectMigrations(dir: string, format: MigrationFormat | 'auto' = 'auto', confined = false): MigrationSet {
  const found = walk(dir).sort(naturalCompare);
  const outside = confined ? found.filter((p) => !resolveInside(dir, p).ok) : [];
  const all = outside.length ? found.filter((p) => !outside.includes(p)) : found;
  const rel = (p: string): string => relative(dir, p);
  const read = (p: string): string => readFileSync(p, 'utf8');
  const sqlFiles = all.filter((p) => p.toLowerCase().endsWith('.sql'));
  const prisma = sqlFiles.filter((p) => basename(p) === 'migration.sql');
  const diesel = sqlFiles.filter((p) => basename(p) === 'up.sql');
  const flyway = sqlFiles.filter((p) => FLYWAY.test(basename(p)));
  const golang = sqlFiles.filter((p) => GOLANG_UP.test(basename(p)));
  let chosen: MigrationFormat = format === 'auto' ? 'plain' : format;
  if (format === 'auto') {
    if (prisma.length && prisma.length >= sqlFiles.length / 2) chosen = 'prisma';
    else if (diesel.length && diesel.length >= sqlFiles.length / 3) chosen = 'diesel';
    else if (flyway.length && flyway.length >= sqlFiles.length / 2) chosen = 'flyway';
    else if (golang.length) chosen = 'golang-migrate';
    else if (sqlFiles.slice(0, 20).some((p) => /^--\s*migrate:up/m.test(read(p)))) chosen = 'dbmate';
  }
  let files: MigrationFile[];
  switch (chosen) {
    case 'prisma':
    case 'diesel': {
      const list = chosen === 'prisma' ? prisma : diesel;
      files = list.map((p) => {
        const folder = basename(join(p, '..'));
        const m = /^(\d[\d-]*)_(.*)$/.exec(folder);
        return { path: p, text: read(p), version: m?.[1] ?? folder, name: m?.[2] ?? folder };
      }).sort((a, b) => naturalCompare(a.version + a.name, b.version + b.name));
      break;
    }
    case 'flyway':
      files = flyway.map((p) => {
        const m = FLYWAY.exec(basename(p))!;
        return { path: p, text: read(p), version: m[1]!.replace(/_/g, '.'), name: m[2]! };
      }).sort((a, b) => compareVersions(a.version, b.version));
      break;
    case 'golang-migrate':
      files = golang.map((p) => {
        const m = GOLANG_UP.exec(basename(p))!;
        return { path: p, text: read(p), version: m[1]!, name: m[2]! };
      }).sort((a, b) => naturalCompare(a.version, b.version));
      break;
    case 'dbmate':
      files = sqlFiles.map((p) => {
        const text = read(p);
        const m = /^(\d+)_?(.*)\.sql$/.exec(basename(p));
        return { path: p, text: dbmateUp(text) ?? text, version: m?.[1] ?? rel(p), name: m?.[2] ?? basename(p) };
      });
      break;
    default:
      files = sqlFiles.filter((p) => !/\.down\.sql$/i.test(p) && basename(p) !== 'down.sql').map((p) => ({ path: p, text: read(p), version: rel(p), name: basename(p, '.sql') }));
  }
  return { dir, format: chosen, files, ...(outside.length ? { outside } : {}) };
}

function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

export function isDirectory(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}
