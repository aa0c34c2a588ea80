/** The documented cases of design-sql-invalid (see design-sql-invalid.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('design-sql-invalid');
