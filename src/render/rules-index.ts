/** The rules index (README and `schemaproof rules`), generated from rule metadata. */
import type { Rule } from '../engine/rule.js';

export function renderRulesIndex(rules: readonly Rule[]): string {
  const groups: Record<string, string> = { input: 'Input', schema: 'Schema', design: 'Design cross-checks', migration: 'Migration safety (`schemaproof migrations`)' };
  const out: string[] = [];
  for (const cat of ['schema', 'design', 'migration', 'input'] as const) {
    out.push(`### ${groups[cat]}\n`, '| Rule | Severity | What it checks |', '|---|---|---|');
    for (const r of rules.filter((x) => x.meta.category === cat).sort((a, b) => a.id.localeCompare(b.id))) {
      out.push(`| [\`${r.id}\`](src/rules/${r.id}.md) | ${r.meta.severity}${r.meta.optIn ? ' (opt-in)' : ''} | ${r.meta.description.replace(/\|/g, '\\|')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
