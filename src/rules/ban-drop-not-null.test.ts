/** The documented cases of ban-drop-not-null (see ban-drop-not-null.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('ban-drop-not-null');
