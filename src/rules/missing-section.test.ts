/** The documented cases of missing-section (see missing-section.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('missing-section');
