import { defineRule } from '../engine/rule.js';

export default defineRule({
  id: 'recovery-untested',
  meta: {
    description: 'Every recovery objective has been tested (tested: true).',
    severity: 'warning',
    category: 'design',
    messages: { untested: 'Recovery of {scope} (RPO {rpo}, RTO {rto}) has not been tested: an untested restore is a hope, not an objective.' },
  },
  check(ctx) {
    const loaded = ctx.loaded;
    if (!loaded) return;
    (ctx.design?.recovery ?? []).forEach((r, i) => {
      if (r.tested === true) return;
      ctx.report({ messageId: 'untested', data: { scope: r.scope ?? `recovery[${i}]`, rpo: r.rpo ?? '?', rto: r.rto ?? '?' }, loc: loaded.at(`/recovery/${i}`), object: r.scope ?? `recovery[${i}]`, path: `/recovery/${i}` });
    });
  },
});
