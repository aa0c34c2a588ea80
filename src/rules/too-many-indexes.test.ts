/** The documented cases of too-many-indexes (see too-many-indexes.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('too-many-indexes');
