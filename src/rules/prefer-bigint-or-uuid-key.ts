import { defineRule } from '../engine/rule.js';
import type { Column } from '../catalog/model.js';
import { colObject, ownTables } from '../engine/util.js';

/** `uuid`, `bigint`, `bigint identity` or `identity` against a key column. */
function matchesConvention(wanted: string, c: Column): boolean {
  switch (wanted) {
    case 'uuid': return c.type.name === 'uuid';
    case 'bigint': return c.type.name === 'int8';
    case 'bigint identity': return c.type.name === 'int8' && Boolean(c.identity);
    case 'identity': return Boolean(c.identity);
    default: return true;
  }
}

export default defineRule({
  id: 'prefer-bigint-or-uuid-key',
  meta: {
    description: 'Surrogate primary keys are bigint or uuid, not integer or smallint.',
    severity: 'warning',
    category: 'schema',
    messages: {
      small: 'Primary key {column} is {type}: a generated key that runs out at {limit} forces a rewrite of the table and every referencing column. Use bigint or uuid.',
      convention: 'Primary key {column} is {type}; conventions.primary_key asks for {expected}.',
    },
  },
  check(ctx) {
    const wanted = ctx.conventions.primary_key?.type;
    for (const t of ownTables(ctx)) {
      const pk = t.constraints.find((c) => c.kind === 'primary');
      if (!pk || pk.columns.length !== 1) continue;
      const c = t.columns.find((x) => x.name === pk.columns[0]);
      if (!c) continue;
      if (wanted && !matchesConvention(wanted, c)) {
        ctx.report({ messageId: 'convention', data: { column: colObject(t, c), type: c.type.display + (c.identity ? ' identity' : ''), expected: wanted }, loc: c.loc, object: colObject(t, c) });
        continue;
      }
      // Only generated keys grow without bound; a hand-assigned small code table is fine.
      const generated = Boolean(c.identity) || c.type.serial || /nextval/i.test(c.default?.text ?? '');
      if (!generated) continue;
      if (c.type.name === 'int4' || c.type.name === 'int2') {
        ctx.report({
          messageId: 'small',
          data: { column: colObject(t, c), type: c.type.display, limit: c.type.name === 'int4' ? '2,147,483,647' : '32,767' },
          loc: c.loc,
          object: colObject(t, c),
        });
      }
    }
  },
});
