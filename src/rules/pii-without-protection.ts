import { defineRule } from '../engine/rule.js';
import { seg } from '../engine/util.js';
import { listOf } from '../load/design/types.js';

const SENSITIVE = new Set(['confidential', 'pii', 'regulated', 'restricted']);

export default defineRule({
  id: 'pii-without-protection',
  meta: {
    description: 'Every column listed as pii, or classified confidential, pii, regulated or restricted, names its protection.',
    severity: 'warning',
    category: 'design',
    messages: {
      pii: 'Column {column} is listed as pii but security.classification gives it no protection (masking, encryption, access control, retention).',
      classified: 'Column {column} is classified {level} but has no protection.',
    },
  },
  check(ctx) {
    const loaded = ctx.loaded;
    const d = ctx.design;
    if (!loaded || !d) return;
    const classes = listOf<NonNullable<NonNullable<typeof d.security>['classification']>[number]>(d.security?.classification);
    const protectedCols = new Set(classes.filter((c) => c?.protection && String(c.protection).trim()).map((c) => c.column));
    classes.forEach((c, i) => {
      if (c && SENSITIVE.has(c.level) && !(c.protection && String(c.protection).trim())) {
        ctx.report({ messageId: 'classified', data: { column: c.column, level: c.level }, loc: loaded.at(`/security/classification/${i}`), object: c.column, path: `/security/classification/${i}` });
      }
    });
    for (const [table, e] of Object.entries(d.entities ?? {})) {
      listOf<string>(e.pii).forEach((col, i) => {
        const full = `${table}.${col}`;
        if (protectedCols.has(full)) return;
        // A column classified (even without protection) is reported above, once.
        if (classes.some((c) => c.column === full)) return;
        ctx.report({ messageId: 'pii', data: { column: full }, loc: loaded.at(`/entities/${seg(table)}/pii/${i}`), object: full, path: `/entities/${seg(table)}` });
      });
    }
  },
});
