import { asList } from '../load/design/types.js';
import { defineRule } from '../engine/rule.js';

export default defineRule({
  id: 'invariant-without-enforcement',
  meta: {
    description: 'Every invariant says how it is enforced, and every constraint-level invariant names the schema object that enforces it.',
    severity: 'error',
    category: 'design',
    messages: {
      noLevel: 'Invariant {id} does not say how it is enforced (enforcement: constraint, transaction, application, async-validator or operational).',
      noObject: 'Invariant {id} is enforced by a constraint but enforced_by names none: which constraint, index, trigger or policy keeps it?',
      appOnly: 'Invariant {id} is kept only by the application: other writers (batch jobs, migrations, manual fixes) can break it. Add a database constraint or an async validator with a drift_query.',
    },
  },
  check(ctx) {
    const loaded = ctx.loaded;
    if (!loaded) return;
    (ctx.design?.invariants ?? []).forEach((inv, i) => {
      const path = `/invariants/${i}`;
      const id = inv.id ?? `invariants[${i}]`;
      const levels = asList(inv.enforcement);
      if (levels.length === 0) {
        ctx.report({ messageId: 'noLevel', data: { id }, loc: loaded.at(path), object: id, path });
        return;
      }
      if (levels.includes('constraint') && asList(inv.enforced_by).length === 0) {
        ctx.report({ messageId: 'noObject', data: { id }, loc: loaded.keyAt(`${path}/enforcement`), object: id, path });
      }
      if (levels.every((l) => l === 'application')) {
        ctx.report({ messageId: 'appOnly', data: { id }, loc: loaded.keyAt(`${path}/enforcement`), object: id, path, severity: 'warning' });
      }
    });
  },
});
