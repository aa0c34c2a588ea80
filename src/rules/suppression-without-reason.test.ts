/** The documented cases of suppression-without-reason (see suppression-without-reason.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('suppression-without-reason');
