import { asList } from '../load/design/types.js';
import { defineRule } from '../engine/rule.js';

export default defineRule({
  id: 'derived-store-without-rebuild',
  meta: {
    description: 'Every derived store (search index, cache, warehouse, projection) can be rebuilt from its source of truth, and the design says how.',
    severity: 'warning',
    category: 'design',
    messages: {
      notRebuildable: 'authority for "{data}" lists derived stores ({derived}) without rebuildable: true: a projection that cannot be rebuilt from the source becomes a second source of truth.',
      noHow: 'authority for "{data}" says its derived stores are rebuildable but not how (rebuild: the command or replay that does it).',
    },
  },
  check(ctx) {
    const loaded = ctx.loaded;
    if (!loaded) return;
    (ctx.design?.authority ?? []).forEach((a, i) => {
      const derived = asList(a.derived).filter((x) => x && !/^(none|-|n\/a)$/i.test(String(x).trim()));
      if (!derived.length) return;
      const path = `/authority/${i}`;
      if (a.rebuildable !== true) ctx.report({ messageId: 'notRebuildable', data: { data: a.data, derived: derived.join(', ') }, loc: loaded.at(path), object: a.data, path });
      else if (!a.rebuild || !String(a.rebuild).trim()) ctx.report({ messageId: 'noHow', data: { data: a.data }, loc: loaded.at(path), object: a.data, path, severity: 'info' });
    });
  },
});
