/** The documented cases of ban-uncommitted-transaction (see ban-uncommitted-transaction.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('ban-uncommitted-transaction');
