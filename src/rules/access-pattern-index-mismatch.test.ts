/** The documented cases of access-pattern-index-mismatch (see access-pattern-index-mismatch.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('access-pattern-index-mismatch');
