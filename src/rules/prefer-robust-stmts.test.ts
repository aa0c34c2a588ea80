/** The documented cases of prefer-robust-stmts (see prefer-robust-stmts.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('prefer-robust-stmts');
