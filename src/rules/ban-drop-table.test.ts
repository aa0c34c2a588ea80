/** The documented cases of ban-drop-table (see ban-drop-table.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('ban-drop-table');
