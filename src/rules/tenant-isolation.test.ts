/** The documented cases of tenant-isolation (see tenant-isolation.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('tenant-isolation');
