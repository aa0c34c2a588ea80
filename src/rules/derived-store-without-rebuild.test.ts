/** The documented cases of derived-store-without-rebuild (see derived-store-without-rebuild.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('derived-store-without-rebuild');
