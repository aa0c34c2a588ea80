/** The documented cases of require-primary-key (see require-primary-key.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('require-primary-key');
