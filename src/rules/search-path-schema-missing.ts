import { defineRule } from '../engine/rule.js';

export default defineRule({
  id: 'search-path-schema-missing',
  meta: {
    description: 'A SET search_path names schemas that exist: PostgreSQL skips a missing one, so unqualified objects go to the next schema of the path (or are refused).',
    severity: 'error',
    category: 'input',
    messages: {
      elsewhere: 'search_path starts with schema {schema}, which does not exist here: PostgreSQL skips it, so the unqualified objects after this line go to {used}, not {schema}. Create {schema} first, or qualify the names.',
      nowhere: 'search_path names schema {schema}, which does not exist here, and no schema of the path exists: PostgreSQL refuses to create unqualified objects after this line ("no schema has been selected to create in"). Create {schema} first.',
    },
  },
  check(ctx) {
    for (const m of ctx.catalog.searchPathMisses) {
      ctx.report({ messageId: m.used ? 'elsewhere' : 'nowhere', data: { schema: m.schema, used: m.used ?? '' }, loc: m.loc, object: m.schema });
    }
  },
});
