/** The documented cases of require-concurrent-partition-detach (see require-concurrent-partition-detach.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('require-concurrent-partition-detach');
