/** The documented cases of recovery-untested (see recovery-untested.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('recovery-untested');
