/** The documented cases of exclusion-constraint-on-existing-table (see exclusion-constraint-on-existing-table.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('exclusion-constraint-on-existing-table');
