/** The documented cases of ban-drop-column (see ban-drop-column.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('ban-drop-column');
