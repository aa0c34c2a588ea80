/** The documented cases of exactly-once-claim (see exactly-once-claim.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('exactly-once-claim');
