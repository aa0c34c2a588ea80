/** The documented cases of adding-serial-primary-key-field (see adding-serial-primary-key-field.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('adding-serial-primary-key-field');
