/** The documented cases of constraint-missing-not-valid (see constraint-missing-not-valid.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('constraint-missing-not-valid');
