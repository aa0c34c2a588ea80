/** The documented cases of migration-step-without-rollback (see migration-step-without-rollback.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('migration-step-without-rollback');
