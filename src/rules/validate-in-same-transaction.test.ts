/** The documented cases of validate-in-same-transaction (see validate-in-same-transaction.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('validate-in-same-transaction');
