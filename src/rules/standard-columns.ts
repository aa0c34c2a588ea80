import { defineRule } from '../engine/rule.js';
import { colObject, displayName, ownTables } from '../engine/util.js';

export default defineRule({
  id: 'standard-columns',
  meta: {
    description: 'Every table carries the standard columns declared in conventions.standard_columns, each a timestamptz NOT NULL DEFAULT now() when it is a *_at column.',
    severity: 'warning',
    category: 'schema',
    messages: {
      missing: 'Table {table} lacks the standard column {column} (conventions.standard_columns).',
      shape: 'Standard column {column} should be timestamptz NOT NULL DEFAULT now(); it is {shape}.',
    },
  },
  check(ctx) {
    const wanted = ctx.conventions.standard_columns ?? [];
    if (!wanted.length) return;
    for (const t of ownTables(ctx)) {
      for (const name of wanted) {
        const c = t.columns.find((x) => x.name === name);
        if (!c) {
          ctx.report({ messageId: 'missing', data: { table: displayName(t), column: name }, loc: t.loc, object: displayName(t) });
          continue;
        }
        if (!name.endsWith('_at')) continue;
        const okDefault = /^(now\(\)|current_timestamp|transaction_timestamp\(\)|statement_timestamp\(\)|clock_timestamp\(\))/i.test(c.default?.text ?? '');
        if (c.type.name !== 'timestamptz' || !c.notNull || !okDefault) {
          const shape = `${c.type.display}${c.notNull ? ' NOT NULL' : ''}${c.default ? ` DEFAULT ${c.default.text}` : ''}`;
          ctx.report({ messageId: 'shape', data: { column: colObject(t, c), shape }, loc: c.loc, object: colObject(t, c) });
        }
      }
    }
  },
});
