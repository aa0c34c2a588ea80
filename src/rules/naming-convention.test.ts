/** The documented cases of naming-convention (see naming-convention.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('naming-convention');
