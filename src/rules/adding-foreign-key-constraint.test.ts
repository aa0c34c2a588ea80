/** The documented cases of adding-foreign-key-constraint (see adding-foreign-key-constraint.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('adding-foreign-key-constraint');
