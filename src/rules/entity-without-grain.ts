import { defineRule } from '../engine/rule.js';
import { displayName, ownTables, seg } from '../engine/util.js';
import { textOf } from '../load/design/types.js';

export default defineRule({
  id: 'entity-without-grain',
  meta: {
    description: 'Every table has an entities entry that says what one row is (its grain).',
    severity: 'warning',
    category: 'design',
    messages: {
      noEntry: 'Table {table} has no entities entry: say what one row is (grain), its keys and who owns it.',
      noGrain: 'Entity {table} has no grain: what does one row represent?',
    },
  },
  check(ctx) {
    const d = ctx.design;
    if (!d || !ctx.loaded) return;
    const entities = d.entities ?? {};
    const compact = d.kind === 'add-column';
    const named = new Set<string>();
    for (const [name, e] of Object.entries(entities)) {
      const t = ctx.analyses.table(name);
      if (t) named.add(t.key);
      if (!textOf(e.grain)?.trim()) {
        ctx.report({ messageId: 'noGrain', data: { table: name }, loc: ctx.loaded.keyAt(`/entities/${seg(name)}`), object: name, path: `/entities/${seg(name)}` });
      }
    }
    if (compact) return;
    for (const t of ownTables(ctx)) {
      if (named.has(t.key)) continue;
      ctx.report({ messageId: 'noEntry', data: { table: displayName(t) }, loc: t.loc, object: displayName(t) });
    }
  },
});
