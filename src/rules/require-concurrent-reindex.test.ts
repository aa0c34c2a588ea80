/** The documented cases of require-concurrent-reindex (see require-concurrent-reindex.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('require-concurrent-reindex');
