/** The documented cases of lifecycle-states-mismatch (see lifecycle-states-mismatch.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('lifecycle-states-mismatch');
