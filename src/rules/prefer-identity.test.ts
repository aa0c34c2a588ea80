/** The documented cases of prefer-identity (see prefer-identity.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('prefer-identity');
