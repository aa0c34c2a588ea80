/** The documented cases of standard-columns (see standard-columns.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('standard-columns');
