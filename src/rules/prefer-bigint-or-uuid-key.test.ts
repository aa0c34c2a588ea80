/** The documented cases of prefer-bigint-or-uuid-key (see prefer-bigint-or-uuid-key.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('prefer-bigint-or-uuid-key');
