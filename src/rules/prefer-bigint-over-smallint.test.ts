/** The documented cases of prefer-bigint-over-smallint (see prefer-bigint-over-smallint.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('prefer-bigint-over-smallint');
