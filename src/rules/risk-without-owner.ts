import { defineRule } from '../engine/rule.js';

export default defineRule({
  id: 'risk-without-owner',
  meta: {
    description: 'Every risk has an owner and is scored (likelihood and impact, 1 to 5).',
    severity: 'warning',
    category: 'design',
    messages: {
      noOwner: 'Risk "{risk}" has no owner: a risk nobody owns is not being mitigated.',
      unscored: 'Risk "{risk}" is not scored: give likelihood and impact (1-5) so risks can be ranked.',
    },
  },
  check(ctx) {
    const loaded = ctx.loaded;
    if (!loaded) return;
    (ctx.design?.risks ?? []).forEach((r, i) => {
      const path = `/risks/${i}`;
      const risk = String(r.risk ?? `risks[${i}]`).slice(0, 80);
      if (!r.owner || !String(r.owner).trim()) ctx.report({ messageId: 'noOwner', data: { risk }, loc: loaded.at(path), object: `risks[${i}]`, path });
      if (typeof r.likelihood !== 'number' || typeof r.impact !== 'number') ctx.report({ messageId: 'unscored', data: { risk }, loc: loaded.at(path), object: `risks[${i}]`, path });
    });
  },
});
