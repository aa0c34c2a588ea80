/** The documented cases of invariant-without-enforcement (see invariant-without-enforcement.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('invariant-without-enforcement');
