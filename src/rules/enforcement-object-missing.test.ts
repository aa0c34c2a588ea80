/** The documented cases of enforcement-object-missing (see enforcement-object-missing.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('enforcement-object-missing');
