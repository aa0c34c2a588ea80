import { defineRule } from '../engine/rule.js';

export default defineRule({
  id: 'migration-step-without-rollback',
  meta: {
    description: 'Every migration step says how to roll it back, or says `roll-forward only`.',
    severity: 'warning',
    category: 'design',
    messages: { none: 'Migration step {n} ("{action}") has no rollback: write how to undo it, or `roll-forward only` if it cannot be undone.' },
  },
  check(ctx) {
    const loaded = ctx.loaded;
    if (!loaded) return;
    const steps = ctx.design?.migration?.steps;
    if (!Array.isArray(steps)) return;
    steps.forEach((s, i) => {
      if (s && typeof s.rollback === 'string' && s.rollback.trim()) return;
      ctx.report({ messageId: 'none', data: { n: i + 1, action: String(s?.action ?? '').slice(0, 80) }, loc: loaded.at(`/migration/steps/${i}`), object: `migration.steps[${i}]`, path: `/migration/steps/${i}` });
    });
  },
});
