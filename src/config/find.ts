/** Finding schemaproof.yaml, without loading the YAML parser (which only a file found needs). */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { RuleSetting } from '../load/design/types.js';
import type { DesignProblem } from '../load/design/validate.js';

export const CONFIG_NAMES = ['schemaproof.yaml', 'schemaproof.yml', 'schemaproof.json'];

/** Looks in `start` and its parents, stopping at a repository root (a .git folder). */
export function findConfig(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    for (const n of CONFIG_NAMES) {
      const p = join(dir, n);
      if (existsSync(p)) return p;
    }
    if (existsSync(join(dir, '.git'))) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The settings `schemaproof migrations` (CLI and MCP) lints with: schemaproof.yaml named by
 * `configFile`, else found from the first path up to the repository root; the explicit values
 * (flags) win over the file's `migrations:`.
 */
export async function migrationsConfig(o: { paths: readonly string[]; configFile?: string; pgVersion?: number; assumeInTransaction?: boolean; knownRules: ReadonlySet<string>; cwd?: string }):
  Promise<{ ok: true; rules: Record<string, RuleSetting>; pgVersion?: number; assumeInTransaction?: boolean } | { ok: false; problems: DesignProblem[] }> {
  const cwd = o.cwd ?? process.cwd();
  const first = o.paths[0] === undefined ? cwd : resolve(cwd, o.paths[0]);
  const file = o.configFile ? resolve(cwd, o.configFile) : findConfig(existsSync(first) && statSync(first).isDirectory() ? first : dirname(first));
  if (!file) return { ok: true, rules: {}, pgVersion: o.pgVersion, assumeInTransaction: o.assumeInTransaction };
  const { loadConfig } = await import('./load.js');
  const config = loadConfig(file, o.knownRules);
  if (config.problems.length) return { ok: false, problems: config.problems };
  return { ok: true, rules: config.rules, pgVersion: o.pgVersion ?? config.migrations?.pgVersion, assumeInTransaction: o.assumeInTransaction ?? config.migrations?.assumeInTransaction };
}
