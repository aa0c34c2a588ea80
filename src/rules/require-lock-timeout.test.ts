/** The documented cases of require-lock-timeout (see require-lock-timeout.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('require-lock-timeout');
