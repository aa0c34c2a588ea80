/** The documented cases of rls-enabled-no-policy (see rls-enabled-no-policy.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('rls-enabled-no-policy');
