/** The documented cases of prefer-text-field (see prefer-text-field.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('prefer-text-field');
