import { defineRule } from '../engine/rule.js';

export default defineRule({
  id: 'open-question-incomplete',
  meta: {
    description: 'Every open question has an owner and a deadline.',
    severity: 'warning',
    category: 'design',
    messages: { incomplete: 'Open question "{question}" has no {missing}: without both, the design is not reviewable.' },
  },
  check(ctx) {
    const loaded = ctx.loaded;
    if (!loaded) return;
    (ctx.design?.open_questions ?? []).forEach((q, i) => {
      const missing = [!q.owner ? 'owner' : '', !q.deadline ? 'deadline' : ''].filter(Boolean);
      if (missing.length) {
        ctx.report({ messageId: 'incomplete', data: { question: String(q.question ?? '').slice(0, 80), missing: missing.join(' and ') }, loc: loaded.at(`/open_questions/${i}`), object: `open_questions[${i}]`, path: `/open_questions/${i}` });
      }
    });
  },
});
