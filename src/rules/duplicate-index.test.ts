/** The documented cases of duplicate-index (see duplicate-index.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('duplicate-index');
