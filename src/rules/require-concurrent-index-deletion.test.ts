/** The documented cases of require-concurrent-index-deletion (see require-concurrent-index-deletion.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('require-concurrent-index-deletion');
