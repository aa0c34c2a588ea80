/** The documented cases of catalog-inconsistency (see catalog-inconsistency.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('catalog-inconsistency');
