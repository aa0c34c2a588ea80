import type { Design } from '../load/design/types.js';
import { defineRule } from '../engine/rule.js';

type Check = (d: Design) => boolean;

const has = (v: unknown): boolean => {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim().length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
};

/** Section name (as users read it) -> whether the design has it. */
export const SECTIONS: Record<string, Check> = {
  summary: (d) => has(d.summary),
  current: (d) => has(d.current) || has(d.problem?.current),
  schema: (d) => has(d.schema) || has(d.migrations),
  migration: (d) => has(d.migration?.steps) || has(d.migration?.strategy),
  'migration.compatibility': (d) => has(d.migration?.compatibility),
  rollback: (d) => (d.migration?.steps ?? []).some((s) => has(s.rollback)) || (d.rollout as { rollback?: string }[] | undefined ?? []).some((r) => has(r?.rollback)),
  problem: (d) => has(d.problem),
  actors: (d) => has(d.actors),
  commands: (d) => has(d.commands),
  authority: (d) => has(d.authority),
  glossary: (d) => has(d.glossary),
  entities: (d) => has(d.entities),
  'entities.lifecycle': (d) => Object.values(d.entities ?? {}).some((e) => has(e.lifecycle)),
  invariants: (d) => has(d.invariants),
  access_patterns: (d) => has(d.access_patterns),
  volumes: (d) => has(d.volumes),
  transactions: (d) => has(d.transactions),
  audit: (d) => has(d.audit),
  traceability: (d) => has(d.traceability),
  security: (d) => has(d.security),
  'security.classification': (d) => has(d.security?.classification),
  'security.retention': (d) => has(d.security?.retention),
  'security.tenant_isolation': (d) => has(d.security?.tenant_isolation),
  integration: (d) => has(d.integration),
  observability: (d) => has(d.observability),
  recovery: (d) => has(d.recovery),
  failure_modes: (d) => has(d.failure_modes),
  risks: (d) => has(d.risks),
  tests: (d) => has(d.tests),
  rollout: (d) => has(d.rollout),
  decisions: (d) => has(d.decisions),
};

const MODULE_REDESIGN = [
  'summary', 'problem', 'actors', 'commands', 'authority', 'glossary', 'entities', 'invariants', 'access_patterns', 'volumes',
  'transactions', 'migration', 'migration.compatibility', 'rollback', 'security', 'observability', 'recovery', 'failure_modes',
  'risks', 'tests', 'rollout', 'decisions',
];

export const REQUIRED: Record<string, string[]> = {
  'add-column': ['summary', 'current', 'schema', 'migration', 'migration.compatibility', 'rollback'],
  'new-table': ['authority', 'entities', 'invariants', 'access_patterns'],
  lifecycle: ['entities.lifecycle', 'invariants', 'migration', 'audit', 'rollback'],
  'module-redesign': MODULE_REDESIGN,
  regulated: ['authority', 'audit', 'traceability', 'security.classification', 'security.retention', 'failure_modes'],
  'multi-tenant': ['security.tenant_isolation', 'integration', 'recovery', 'observability'],
};

/** The sections a design must have: by kind, raised to the module-redesign set by high risk. */
export function requiredSections(d: Design): string[] {
  const list = new Set(REQUIRED[d.kind ?? ''] ?? []);
  if (d.risk === 'high' || d.risk === 'critical') for (const s of MODULE_REDESIGN) list.add(s);
  return [...list];
}

export default defineRule({
  id: 'missing-section',
  meta: {
    description: 'The design has every section its kind (and risk) requires.',
    severity: 'warning',
    category: 'design',
    messages: {
      missing: 'A {kind} design needs the {section} section{why}.',
    },
  },
  check(ctx) {
    const d = ctx.design;
    if (!d || !ctx.loaded) return;
    const byKind = new Set(REQUIRED[d.kind ?? ''] ?? []);
    for (const section of requiredSections(d)) {
      if (SECTIONS[section]?.(d)) continue;
      const top = section.split('.')[0]!;
      ctx.report({
        messageId: 'missing',
        data: { kind: d.kind ?? '?', section, why: byKind.has(section) ? '' : ` (risk: ${d.risk} requires the full set)` },
        // An empty section is reported where it is written; an absent one at the kind that requires it.
        loc: ctx.loaded.doc?.keyAt.has(`/${top}`) ? ctx.loaded.keyAt(`/${top}`) : ctx.loaded.at('/kind'),
        object: section,
      });
    }
  },
});
