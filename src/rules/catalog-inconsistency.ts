import { defineRule } from '../engine/rule.js';

export default defineRule({
  id: 'catalog-inconsistency',
  meta: {
    description: 'Statements only change objects that exist at that point: an ALTER, DROP or CREATE INDEX on a table never created means the schema files are incomplete or out of order.',
    severity: 'warning',
    category: 'input',
    messages: { missing: '{message}; the statement was skipped in the model.' },
  },
  check(ctx) {
    for (const p of ctx.catalog.problems) ctx.report({ messageId: 'missing', data: { message: p.message }, loc: p.loc, object: p.object });
  },
});
