/** The documented cases of speculative-index (see speculative-index.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('speculative-index');
