/** The documented cases of changing-column-type (see changing-column-type.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('changing-column-type');
