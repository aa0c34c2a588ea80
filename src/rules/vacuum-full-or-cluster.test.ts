/** The documented cases of vacuum-full-or-cluster (see vacuum-full-or-cluster.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('vacuum-full-or-cluster');
