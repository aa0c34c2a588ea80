/** The documented cases of sql-syntax-error (see sql-syntax-error.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('sql-syntax-error');
