/** The documented cases of disallowed-unique-constraint (see disallowed-unique-constraint.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('disallowed-unique-constraint');
