/** The documented cases of prefer-numeric-for-money (see prefer-numeric-for-money.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('prefer-numeric-for-money');
