/** The documented cases of unknown-reference (see unknown-reference.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('unknown-reference');
