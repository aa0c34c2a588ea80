/** The documented cases of require-statement-timeout (see require-statement-timeout.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('require-statement-timeout');
