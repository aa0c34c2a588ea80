import { defineMigrationRule } from '../migrations/lint.js';
import { strList } from '../load/sql/ast.js';

export default defineMigrationRule({
  id: 'ban-create-domain-with-constraint',
  meta: {
    description: 'Domains carry no CHECK constraints; put the CHECK on the columns.',
    severity: 'warning',
    category: 'migration',
    messages: { check: 'Domain {name} has a CHECK: changing it later scans every column of every table that uses the domain under heavy locks, and NOT VALID is not available for domains everywhere it is needed.' },
  },
  checkMigration(ctx) {
    for (const ms of ctx.statements) {
      if (ms.stmt.kind !== 'CreateDomainStmt') continue;
      if (!(ms.stmt.ast.constraints ?? []).some((c: { Constraint?: { contype?: string } }) => c.Constraint?.contype === 'CONSTR_CHECK')) continue;
      const name = strList(ms.stmt.ast.domainname).join('.');
      ctx.report({ messageId: 'check', data: { name }, loc: ms.stmt.loc, object: name });
    }
  },
});
