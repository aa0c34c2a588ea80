/** The documented cases of design-invalid (see design-invalid.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('design-invalid');
