/** The documented cases of unconstrained-enum-column (see unconstrained-enum-column.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('unconstrained-enum-column');
