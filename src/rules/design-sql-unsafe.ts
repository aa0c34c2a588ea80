import { classifyDesignSql, designSqlPieces, REFUSALS, settingNameProblem, type RefusalId } from '../analyses/design-sql.js';
import { defineRule } from '../engine/rule.js';

/** Parse failures and empty items are design-sql-invalid's findings. */
const REPORTED_ELSEWHERE = new Set<RefusalId>(['syntax', 'empty']);

const messages = Object.fromEntries(
  (Object.entries(REFUSALS) as [RefusalId, string][])
    .filter(([id]) => !REPORTED_ELSEWHERE.has(id))
    .map(([id, text]) => [id, id === 'settingName' ? `security.tenant_isolation.setting {name} ${text}.` : `SQL of {owner} ${text}.`]),
);

export default defineRule({
  id: 'design-sql-unsafe',
  meta: {
    description: 'Every SQL text the prover runs is one statement of the kind its purpose needs: no transaction control, role switch, DDL or second statement.',
    severity: 'error',
    category: 'design',
    messages,
  },
  check(ctx) {
    const d = ctx.design;
    const loaded = ctx.loaded;
    if (!d || !loaded) return;
    for (const piece of designSqlPieces(d)) {
      if (!piece.purpose) continue;
      const r = classifyDesignSql(piece.sql, piece.purpose, ctx.catalog);
      if (r.ok || REPORTED_ELSEWHERE.has(r.messageId)) continue;
      ctx.report({ messageId: r.messageId, data: { owner: piece.owner, ...r.data }, loc: loaded.at(piece.path), object: piece.owner, path: piece.path });
    }
    const setting = d.security?.tenant_isolation?.setting;
    const bad = typeof setting === 'string' ? settingNameProblem(setting) : undefined;
    if (bad) {
      const path = '/security/tenant_isolation/setting';
      ctx.report({ messageId: bad.messageId, data: bad.data, loc: loaded.at(path), object: 'security.tenant_isolation', path });
    }
  },
});
