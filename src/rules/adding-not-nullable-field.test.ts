/** The documented cases of adding-not-nullable-field (see adding-not-nullable-field.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('adding-not-nullable-field');
