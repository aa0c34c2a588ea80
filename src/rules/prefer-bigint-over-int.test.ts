/** The documented cases of prefer-bigint-over-int (see prefer-bigint-over-int.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('prefer-bigint-over-int');
