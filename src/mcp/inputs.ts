/**
 * The MCP tools' path arguments, each confined to the root (root.ts) and screened for its kind
 * before the library reads it: a design must look like a design and a SQL file like text, so
 * that no finding or error quotes lines of some other file an agent pointed a tool at. What
 * the design itself names (schema:, migrations:) is confined the same way.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MAX_DESIGN_BYTES } from '../load/design/load.js';
import { designJsonSchema } from '../load/design/validate.js';
import { parseWithPositions } from '../load/design/yaml-positions.js';
import { type Inside, linkOutOf, resolveInside } from './root.js';

/** A schemaproof.yaml is a few hundred bytes; anything this big is something else. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

const DESIGN_NAMES = ['design.yaml', 'design.yml', 'design.json'];

let designKeys: Set<string> | undefined;

function topKeys(file: string, text: string): string[] | undefined {
  const doc = parseWithPositions(file, text);
  const keys = [...doc.keyAt.keys()].filter((p) => p.lastIndexOf('/') === 0).map((p) => p.slice(1));
  return keys.length ? keys : undefined;
}

/** A mapping naming the design (`design:`), or holding at least two of the design's sections. */
function designShaped(file: string): boolean {
  if (statSync(file).size > MAX_DESIGN_BYTES) return true; // refused by the loader, unread
  designKeys ??= new Set(Object.keys((designJsonSchema() as { properties: object }).properties));
  const keys = topKeys(file, readFileSync(file, 'utf8')) ?? [];
  return keys.includes('design') || keys.filter((k) => designKeys!.has(k)).length >= 2;
}

/** Text, as far as its first 8 KiB tell (git's test): no NUL byte. */
function looksLikeText(file: string): boolean {
  const buf = Buffer.alloc(8192);
  const fd = openSync(file, 'r');
  try {
    const n = readSync(fd, buf, 0, buf.length, 0);
    return !buf.subarray(0, n).includes(0);
  } finally {
    closeSync(fd);
  }
}

const isDir = (p: string): boolean => statSync(p).isDirectory();

/** A SQL schema or migration file. */
export function sqlFile(root: string, arg: string, value: string): Inside {
  const r = resolveInside(root, arg, value);
  if (!r.ok) return r;
  if (isDir(r.path)) return { ok: false, message: `${arg}: ${value} is a folder, not a SQL file` };
  return looksLikeText(r.path) ? r : { ok: false, message: `${arg}: ${value} is not a SQL file (it holds binary data)` };
}

/** A folder of migrations, none of whose entries links out of the root. */
export function migrationsFolder(root: string, arg: string, value: string): Inside {
  const r = resolveInside(root, arg, value);
  if (!r.ok) return r;
  if (!isDir(r.path)) return { ok: false, message: `${arg}: ${value} is not a folder` };
  const out = linkOutOf(root, r.path);
  return out ? { ok: false, message: `${arg}: ${out} inside ${value} links outside the folder this server serves` } : r;
}

/** A migration file or folder (the `migrations` tool's paths). */
export function migrationPath(root: string, arg: string, value: string): Inside {
  const r = resolveInside(root, arg, value);
  if (!r.ok) return r;
  return isDir(r.path) ? migrationsFolder(root, arg, value) : sqlFile(root, arg, value);
}

/** A schemaproof.yaml; whether it is one is judged by the config loader, which quotes nothing else. */
export function configFile(root: string, arg: string, value: string): Inside {
  const r = resolveInside(root, arg, value);
  if (!r.ok) return r;
  if (isDir(r.path) || statSync(r.path).size > MAX_CONFIG_BYTES) return { ok: false, message: `${arg}: ${value} is not a schemaproof.yaml` };
  return r;
}

/**
 * A design folder or file. A folder without a design file is passed on (the library says what
 * is missing); a design file must look like one, and its schema: or migrations: must be inside.
 */
export function design(root: string, arg: string, value: string): Inside {
  const r = resolveInside(root, arg, value);
  if (!r.ok) return r;
  const name = isDir(r.path) ? DESIGN_NAMES.map((n) => join(r.path, n)).find((p) => existsSync(p)) : r.path;
  if (!name) return r;
  const file = resolveInside(root, arg, name);
  if (!file.ok) return file;
  if (statSync(file.path).isDirectory() || !designShaped(file.path)) return { ok: false, message: `${arg}: ${value} is not a design file (a YAML or JSON mapping with design:, kind:, entities: ...)` };
  const named = parseWithPositions(file.path, readFileSync(file.path, 'utf8')).value as { schema?: unknown; migrations?: unknown } | null;
  // The library resolves these from the folder of the file as found, which is `name`'s.
  const base = dirname(name);
  // One the design names but that is missing is left to the library, which reports it where it is written.
  const ref = typeof named?.schema === 'string' ? sqlFile(root, `${arg} (its schema:)`, resolve(base, named.schema))
    : typeof named?.migrations === 'string' ? migrationsFolder(root, `${arg} (its migrations:)`, resolve(base, named.migrations))
      : r;
  return ref.ok || ref.missing ? r : ref;
}

/** Any side of a plan, told apart as `checkPath` does: design file, SQL file, design folder, migrations folder. */
export function planSide(root: string, arg: string, value: string): Inside {
  const r = resolveInside(root, arg, value);
  if (!r.ok) return r;
  if (!isDir(r.path)) return /\.(ya?ml|json)$/.test(r.path) ? design(root, arg, value) : sqlFile(root, arg, value);
  return DESIGN_NAMES.some((n) => existsSync(join(r.path, n))) ? design(root, arg, value) : migrationsFolder(root, arg, value);
}
