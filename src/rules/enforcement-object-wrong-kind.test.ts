/** The documented cases of enforcement-object-wrong-kind (see enforcement-object-wrong-kind.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('enforcement-object-wrong-kind');
