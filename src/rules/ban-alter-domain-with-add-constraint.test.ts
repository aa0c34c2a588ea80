/** The documented cases of ban-alter-domain-with-add-constraint (see ban-alter-domain-with-add-constraint.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('ban-alter-domain-with-add-constraint');
