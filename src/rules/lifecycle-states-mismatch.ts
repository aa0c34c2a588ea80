import { asList, listOf } from '../load/design/types.js';
import { defineRule } from '../engine/rule.js';
import { seg } from '../engine/util.js';

export default defineRule({
  id: 'lifecycle-states-mismatch',
  meta: {
    description: 'An entity\'s lifecycle states are exactly the values its column allows (CHECK or enum), and its transitions use only those states.',
    severity: 'error',
    category: 'design',
    messages: {
      unconstrained: 'Lifecycle of {table} lists states, but {column} accepts any value: add a CHECK ({column} IN (...)) or an enum type.',
      onlyInDesign: 'Lifecycle of {table} has state {state}, which {column} does not allow: writing it fails.',
      onlyInSchema: '{column} allows {state}, which the lifecycle of {table} does not describe: when is a row in that state?',
      unknownState: 'Lifecycle of {table}: {where} names state {state}, which is not in states.',
    },
  },
  check(ctx) {
    const loaded = ctx.loaded;
    if (!loaded) return;
    for (const [name, e] of Object.entries(ctx.design?.entities ?? {})) {
      const lc = e.lifecycle;
      if (!lc?.column || !Array.isArray(lc.states)) continue;
      const path = `/entities/${seg(name)}/lifecycle`;
      const states = lc.states.map(String);
      const base = { object: `${name}.${lc.column}`, path };
      const known = new Set(states);
      const unknown = (where: string, state: string, p: string): void => {
        if (!known.has(state)) ctx.report({ messageId: 'unknownState', data: { table: name, where, state }, loc: loaded.at(p), ...base });
      };
      if (lc.initial) unknown('initial', lc.initial, `${path}/initial`);
      asList(lc.terminal).forEach((s) => unknown('terminal', s, `${path}/terminal`));
      listOf<NonNullable<typeof lc.transitions>[number]>(lc.transitions).forEach((tr, i) => {
        asList(tr.from).forEach((s) => { if (s !== '*') unknown(`transition ${i + 1}`, s, `${path}/transitions/${i}/from`); });
        if (tr.to) unknown(`transition ${i + 1}`, tr.to, `${path}/transitions/${i}/to`);
      });
      const t = ctx.analyses.table(name);
      if (!t || !t.columns.some((c) => c.name === lc.column)) continue;
      const allowed = ctx.analyses.allowedValues(t, lc.column);
      if (!allowed) {
        ctx.report({ messageId: 'unconstrained', data: { table: name, column: `${name}.${lc.column}` }, loc: loaded.at(`${path}/column`), ...base });
        continue;
      }
      states.forEach((s, i) => {
        if (!allowed.includes(s)) ctx.report({ messageId: 'onlyInDesign', data: { table: name, state: s, column: `${name}.${lc.column}` }, loc: loaded.at(`${path}/states/${i}`), ...base });
      });
      for (const s of allowed) {
        if (!known.has(s)) ctx.report({ messageId: 'onlyInSchema', data: { table: name, state: s, column: `${name}.${lc.column}` }, loc: loaded.at(`${path}/states`), ...base });
      }
    }
  },
});
