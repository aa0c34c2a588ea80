import { defineRule } from '../engine/rule.js';

export default defineRule({
  id: 'suppression-without-reason',
  meta: {
    description: 'Every suppression says why: `-- schemaproof-ignore <rule>: <reason>` in SQL, `ignore: [{rule, reason}]` in the design.',
    severity: 'warning',
    category: 'input',
    messages: {
      sql: 'Suppression of {rules} has no reason, so it is not applied. Write `-- schemaproof-ignore {rules}: <why>`.',
      design: 'ignore of {rule} has no reason, so it is not applied. Add `reason:`.',
    },
  },
  check(ctx) {
    for (const s of ctx.statements) {
      for (const sup of s.suppressions) {
        if (!sup.reason) ctx.report({ messageId: 'sql', data: { rules: sup.rules.join(', ') }, loc: sup.loc, object: sup.rules.join(',') });
      }
    }
    const loaded = ctx.loaded;
    if (!loaded?.doc) return;
    const visit = (v: unknown, path: string): void => {
      if (Array.isArray(v)) { v.forEach((x, i) => visit(x, `${path}/${i}`)); return; }
      if (!v || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (k === 'ignore' && Array.isArray(x)) {
          x.forEach((item, i) => {
            const it = item as { rule?: string; reason?: string };
            if (it && typeof it === 'object' && !(typeof it.reason === 'string' && it.reason.trim())) {
              ctx.report({ messageId: 'design', data: { rule: it.rule ?? '?' }, loc: loaded.at(`${path}/ignore/${i}`), object: it.rule ?? 'ignore', path: `${path}/ignore/${i}` });
            }
          });
        } else visit(x, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      }
    };
    visit(ctx.design, '');
  },
});
