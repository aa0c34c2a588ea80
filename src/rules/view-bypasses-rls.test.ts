/** The documented cases of view-bypasses-rls (see view-bypasses-rls.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('view-bypasses-rls');
