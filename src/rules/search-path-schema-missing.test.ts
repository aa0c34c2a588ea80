/** The documented cases of search-path-schema-missing (see search-path-schema-missing.md): anti-patterns fire, best practices stay silent. */
import { describeRuleCases } from '../../test/rule-cases.js';

describeRuleCases('search-path-schema-missing');
