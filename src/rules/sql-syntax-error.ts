import { defineRule } from '../engine/rule.js';

export default defineRule({
  id: 'sql-syntax-error',
  meta: {
    description: 'Every SQL statement of the schema or migrations parses with the PostgreSQL parser.',
    severity: 'error',
    category: 'input',
    messages: { syntax: 'This statement does not parse ({message}); it was left out of the catalog, the statements around it were still read.' },
  },
  check(ctx) {
    for (const p of ctx.inputs.sqlProblems) ctx.report({ messageId: 'syntax', data: { message: p.message }, loc: p.loc, object: 'sql' });
  },
});
