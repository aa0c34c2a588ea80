/** The documented cases of entity-without-grain (see entity-without-grain.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('entity-without-grain');
