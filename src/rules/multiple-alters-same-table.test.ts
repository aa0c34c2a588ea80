/** The documented cases of multiple-alters-same-table (see multiple-alters-same-table.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('multiple-alters-same-table');
