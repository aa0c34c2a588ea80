/** The documented cases of adding-required-field (see adding-required-field.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('adding-required-field');
