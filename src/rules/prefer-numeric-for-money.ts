import { defineRule } from '../engine/rule.js';
import { colObject, ownTables, words } from '../engine/util.js';

const MONEY_WORDS = new Set([
  'amount', 'amt', 'price', 'prices', 'total', 'subtotal', 'balance', 'cost', 'costs', 'fee', 'fees', 'salary', 'wage',
  'tax', 'vat', 'discount', 'payment', 'revenue', 'charge', 'credit', 'debit', 'refund', 'payout', 'invoice', 'budget',
  'money', 'cash', 'tip', 'deposit', 'fare', 'rate_amount',
]);

export default defineRule({
  id: 'prefer-numeric-for-money',
  meta: {
    description: 'Money is stored in numeric (or integer minor units), never float, real, double precision or the money type.',
    severity: 'error',
    category: 'schema',
    messages: {
      float: 'Column {column} holds money in {type}: binary floating point cannot represent most decimal amounts and sums drift. Use numeric(p,s).',
      moneyType: 'Column {column} uses the money type: its precision follows lc_monetary and it cannot hold a currency. Use numeric(p,s) with a currency column.',
    },
  },
  check(ctx) {
    for (const t of ownTables(ctx)) {
      for (const c of t.columns) {
        if (c.type.name === 'money') {
          ctx.report({ messageId: 'moneyType', data: { column: colObject(t, c) }, loc: c.loc, object: colObject(t, c) });
        } else if ((c.type.name === 'float4' || c.type.name === 'float8') && words(c.name).some((w) => MONEY_WORDS.has(w))) {
          ctx.report({ messageId: 'float', data: { column: colObject(t, c), type: c.type.display }, loc: c.loc, object: colObject(t, c) });
        }
      }
    }
  },
});
