/**
 * The folder the MCP server serves: every path an agent names must resolve, symbolic links
 * followed, to a regular file or folder inside it. Refusals name the argument and never say
 * whether something outside exists. (The CLI has no such bound: its user can read files anyway.)
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { resolveInside as confine, within } from '../load/paths.js';

export type Inside = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly message: string; readonly missing?: true };

/** The root as the file system names it (symbolic links in it resolved). */
export function realRoot(dir: string): string {
  return realpathSync(resolve(dir));
}

/**
 * `value` (relative to the root, or absolute) as a real path inside `root`, which must itself
 * be real. `..` out of the root, an absolute path elsewhere and a link pointing out are refused
 * alike; so are devices, sockets and pipes (reading a pipe would block the server).
 */
export function resolveInside(root: string, arg: string, value: string): Inside {
  const outside: Inside = { ok: false, message: `${arg}: ${value} is outside the folder this server serves (${root}); start schemaproof mcp with --root DIR to serve another` };
  if (value.includes('\0')) return { ok: false, message: `${arg}: a path cannot hold a NUL character` };
  // `..` out of the root is refused as written, even where it would lead back in.
  if (!within(root, resolve(root, value))) return outside;
  const confined = confine(root, value);
  if (!confined.ok) return outside;
  if (!existsSync(confined.path)) return { ok: false, message: `${arg}: no such file or folder: ${value}`, missing: true };
  let st;
  try { st = statSync(confined.path); } catch { return { ok: false, message: `${arg}: ${value} cannot be read` }; }
  if (!st.isFile() && !st.isDirectory()) return { ok: false, message: `${arg}: ${value} is not a regular file or folder` };
  return { ok: true, path: confined.path };
}

/**
 * The first entry under `dir` that leads out of the root, walked as the migration loader walks
 * (symbolic links followed, six levels deep), or undefined when every entry stays inside.
 */
export function linkOutOf(root: string, dir: string, depth = 0): string | undefined {
  if (depth > 6) return undefined;
  let entries;
  try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return undefined; }
  for (const e of entries) {
    const p = resolve(dir, e.name);
    if (e.isSymbolicLink()) {
      let real;
      try { real = realpathSync(p); } catch { continue; } // broken: the loader skips it too
      if (!within(root, real)) return relative(root, p);
      if (statSync(real).isDirectory()) {
        const deeper = linkOutOf(root, real, depth + 1);
        if (deeper) return deeper;
      }
    } else if (e.isDirectory()) {
      const deeper = linkOutOf(root, p, depth + 1);
      if (deeper) return deeper;
    }
  }
  return undefined;
}
