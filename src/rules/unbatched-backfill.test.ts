/** The documented cases of unbatched-backfill (see unbatched-backfill.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('unbatched-backfill');
