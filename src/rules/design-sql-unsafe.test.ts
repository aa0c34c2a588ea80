/** The documented cases of design-sql-unsafe (see design-sql-unsafe.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('design-sql-unsafe');
