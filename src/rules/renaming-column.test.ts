/** The documented cases of renaming-column (see renaming-column.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('renaming-column');
