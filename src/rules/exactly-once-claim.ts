import { defineRule } from '../engine/rule.js';

const CLAIM = /exactly[\s-]+once/i;
const NEGATED = /\b(not|never|no|isn't|is not|cannot|can't)\b[^.]{0,20}exactly[\s-]+once/i;

export default defineRule({
  id: 'exactly-once-claim',
  meta: {
    description: 'The design does not promise exactly-once delivery; it says at-least-once with an idempotent consumer.',
    severity: 'warning',
    category: 'design',
    messages: { claim: '{where} claims exactly-once delivery. Across a network, delivery is at least once: say so, and name the idempotency key the consumer deduplicates on.' },
  },
  check(ctx) {
    const loaded = ctx.loaded;
    if (!loaded || !ctx.design) return;
    const visit = (v: unknown, path: string): void => {
      if (typeof v === 'string') {
        if (CLAIM.test(v) && !NEGATED.test(v)) ctx.report({ messageId: 'claim', data: { where: path.slice(1).replace(/\//g, '.') || 'the design' }, loc: loaded.at(path), object: path.slice(1).replace(/\//g, '.'), path });
        return;
      }
      if (Array.isArray(v)) { v.forEach((x, i) => visit(x, `${path}/${i}`)); return; }
      if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k !== 'ignore') visit(x, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    };
    visit(ctx.design, '');
  },
});
