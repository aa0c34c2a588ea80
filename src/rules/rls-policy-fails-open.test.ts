/** The documented cases of rls-policy-fails-open (see rls-policy-fails-open.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('rls-policy-fails-open');
