/** The documented cases of unindexed-foreign-key (see unindexed-foreign-key.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('unindexed-foreign-key');
