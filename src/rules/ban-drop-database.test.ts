/** The documented cases of ban-drop-database (see ban-drop-database.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('ban-drop-database');
