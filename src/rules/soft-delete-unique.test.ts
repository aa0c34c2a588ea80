/** The documented cases of soft-delete-unique (see soft-delete-unique.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('soft-delete-unique');
