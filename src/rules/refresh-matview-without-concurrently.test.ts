/** The documented cases of refresh-matview-without-concurrently (see refresh-matview-without-concurrently.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('refresh-matview-without-concurrently');
