/** The documented cases of transaction-nesting (see transaction-nesting.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('transaction-nesting');
