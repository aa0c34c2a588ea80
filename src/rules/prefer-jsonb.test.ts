/** The documented cases of prefer-jsonb (see prefer-jsonb.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('prefer-jsonb');
