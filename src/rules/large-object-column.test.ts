/** The documented cases of large-object-column (see large-object-column.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('large-object-column');
