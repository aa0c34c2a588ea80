/** The documented cases of prefer-timestamptz (see prefer-timestamptz.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('prefer-timestamptz');
