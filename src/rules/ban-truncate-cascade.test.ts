/** The documented cases of ban-truncate-cascade (see ban-truncate-cascade.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('ban-truncate-cascade');
