/** The documented cases of adding-field-with-default (see adding-field-with-default.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('adding-field-with-default');
