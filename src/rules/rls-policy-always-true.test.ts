/** The documented cases of rls-policy-always-true (see rls-policy-always-true.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('rls-policy-always-true');
