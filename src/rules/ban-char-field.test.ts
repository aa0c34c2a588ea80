/** The documented cases of ban-char-field (see ban-char-field.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('ban-char-field');
