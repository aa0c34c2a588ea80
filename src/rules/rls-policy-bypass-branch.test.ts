/** The documented cases of rls-policy-bypass-branch (see rls-policy-bypass-branch.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('rls-policy-bypass-branch');
