/** The documented cases of require-concurrent-index-creation (see require-concurrent-index-creation.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('require-concurrent-index-creation');
