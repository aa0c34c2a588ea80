/** The documented cases of pii-without-protection (see pii-without-protection.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('pii-without-protection');
