/** The documented cases of ban-concurrent-index-creation-in-transaction (see ban-concurrent-index-creation-in-transaction.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('ban-concurrent-index-creation-in-transaction');
