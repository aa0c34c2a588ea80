/** The documented cases of policy-without-rls (see policy-without-rls.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('policy-without-rls');
