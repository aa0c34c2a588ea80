/** The documented cases of ban-create-domain-with-constraint (see ban-create-domain-with-constraint.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('ban-create-domain-with-constraint');
