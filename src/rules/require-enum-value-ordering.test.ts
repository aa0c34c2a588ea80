/** The documented cases of require-enum-value-ordering (see require-enum-value-ordering.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('require-enum-value-ordering');
