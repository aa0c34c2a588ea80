/** The documented cases of risk-without-owner (see risk-without-owner.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('risk-without-owner');
