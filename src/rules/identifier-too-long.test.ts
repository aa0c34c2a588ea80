/** The documented cases of identifier-too-long (see identifier-too-long.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('identifier-too-long');
