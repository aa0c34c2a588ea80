/** The documented cases of open-question-incomplete (see open-question-incomplete.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('open-question-incomplete');
