/**
 * The folder the MCP server serves: every path an agent names must resolve, symbolic links
 * followed, to a regular file or folder inside it. Refusals name the argument and never say
 * whether something outside exists. (The CLI has no such bound: its user can read files anyway.)
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

export type Inside = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly message: string; readonly missing?: true };

/** The root as the file system names it (symbolic links in it resolved). */
export function realRoot(dir: string): string {
  return realpathSync(resolve(dir));
}

function within(root: string, abs: string): boolean {
  const rel = relative(root, abs);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The real path of the longest part of `abs` that exists (a path being made, or a broken one). */
function realExistingPart(abs: string): { real: string; missing: boolean } {
  let p = abs;
  for (;;) {
    try {
      return { real: realpathSync(p), missing: p !== abs };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const parent = dirname(p);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === p) throw e;
      p = parent;
    }
  }
}

/**
 * `value` (relative to the root, or absolute) as a real path inside `root`, which must itself
 * be real. `..` out of the root, an absolute path elsewhere and a link pointing out are refused
 * alike; so are devices, sockets and pipes (reading a pipe would block the server).
 */
export function resolveInside(root: string, arg: string, value: string): Inside {
  const outside: Inside = { ok: false, message: `${arg}: ${value} is outside the folder this server serves (${root}); start schemaproof mcp with --root DIR to serve another` };
  if (value.includes('\0')) return { ok: false, message: `${arg}: a path cannot hold a NUL character` };
  const abs = resolve(root, value);
  if (!within(root, abs)) return outside;
  let found;
  try { found = realExistingPart(abs); } catch { return { ok: false, message: `${arg}: ${value} cannot be read` }; }
  if (!within(root, found.real)) return outside;
  if (found.missing) return { ok: false, message: `${arg}: no such file or folder: ${value}`, missing: true };
  const st = statSync(found.real);
  if (!st.isFile() && !st.isDirectory()) return { ok: false, message: `${arg}: ${value} is not a regular file or folder` };
  return { ok: true, path: found.real };
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
