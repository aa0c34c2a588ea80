/**
 * Confinement of paths that input names (a design's `schema:`, `migrations:`; an MCP client's
 * arguments) to a root folder: resolved, symlinks followed, and refused when the real path
 * leaves the root. Paths a user types on the command line do not go through here.
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

export type InsideResult =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly reason: 'outside' | 'invalid'; readonly message: string };

/** `p` is `root` or below it (both already resolved). */
export function within(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (!r.startsWith(`..${sep}`) && r !== '..' && !isAbsolute(r));
}

/** The real path of `p`, or of its nearest existing ancestor with the rest appended. */
function realish(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    const parent = dirname(p);
    if (parent === p) return p;
    return resolve(realish(parent), relative(parent, p));
  }
}

/**
 * `path` (relative to `root`, or absolute) resolved to its real location, when that lies inside
 * `root`'s real location. A path that does not exist yet is judged by its nearest existing
 * ancestor, so a symlinked folder cannot lead out either; whether it exists is the caller's
 * question.
 */
export function resolveInside(root: string, path: string): InsideResult {
  if (path.includes('\0')) return { ok: false, reason: 'invalid', message: `${JSON.stringify(path)} holds a NUL byte` };
  const realRoot = realish(resolve(root));
  const lexical = resolve(root, path);
  const real = realish(lexical);
  if (!within(realRoot, real)) {
    return { ok: false, reason: 'outside', message: `${path} is outside ${root}${lexical !== real ? ` (it resolves to ${real})` : ''}` };
  }
  return { ok: true, path: real };
}
