/** The documented cases of updated-at-without-trigger (see updated-at-without-trigger.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('updated-at-without-trigger');
