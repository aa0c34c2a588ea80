/** The documented cases of ban-duplicate-column-assignments (see ban-duplicate-column-assignments.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('ban-duplicate-column-assignments');
