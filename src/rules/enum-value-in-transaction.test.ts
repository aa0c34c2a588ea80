/** The documented cases of enum-value-in-transaction (see enum-value-in-transaction.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('enum-value-in-transaction');
