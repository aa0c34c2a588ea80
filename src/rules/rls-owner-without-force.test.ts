/** The documented cases of rls-owner-without-force (see rls-owner-without-force.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('rls-owner-without-force');
