/** The documented cases of renaming-table (see renaming-table.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('renaming-table');
