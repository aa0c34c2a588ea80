/** The documented cases of prefer-repack (see prefer-repack.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('prefer-repack');
