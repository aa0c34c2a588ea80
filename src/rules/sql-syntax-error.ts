import { defineRule } from '../engine/rule.js';
import { SQL_PROBLEM_MESSAGE } from '../load/sql/parse.js';

export default defineRule({
  id: 'sql-syntax-error',
  meta: {
    description: 'Every SQL statement of the schema or migrations parses with the PostgreSQL parser.',
    severity: 'error',
    category: 'input',
    messages: {
      syntax: 'This statement does not parse ({message}); it was left out of the catalog, the statements around it were still read.',
      'nul-byte': 'The file holds a NUL byte here: PostgreSQL\'s parser would stop reading at it and drop the rest unseen; it was read as a space and the rest checked.',
      unreadable: 'This SQL file was {message}.',
    },
  },
  check(ctx) {
    for (const p of ctx.inputs.sqlProblems) ctx.report({ messageId: SQL_PROBLEM_MESSAGE[p.kind], data: { message: p.message }, loc: p.loc, object: 'sql' });
  },
});
