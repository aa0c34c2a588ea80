/** The documented cases of require-table-schema (see require-table-schema.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('require-table-schema');
