/**
 * `schemaproof init`: a design.yaml that holds the sections the kind requires, each with a
 * one-line comment saying what belongs there. From a schema it also pre-fills entities (grain
 * left empty, so `check` asks for it), invariants from unique, check and foreign-key
 * constraints, and an access-pattern stub per index that backs no constraint.
 */
import { stringify } from 'yaml';
import type { Catalog, Table } from '../catalog/model.js';
import { displayName } from '../catalog/model.js';
import { REQUIRED } from '../rules/missing-section.js';

export const KINDS = Object.keys(REQUIRED);

/** What belongs in each section, in a line (the comment written above it). */
const WHAT: Record<string, string> = {
  summary: 'One paragraph: what changes, how invariants are enforced, how it is served and migrated.',
  current: 'Today: which tables hold this, and why that stops working.',
  problem: 'current, goals, non_goals and success_criteria: measurable.',
  actors: 'Who acts on the data: name, role, creates, reads, rules.',
  commands: 'Commands that change state: name, actor, preconditions, changes, events.',
  authority: 'For each kind of data: its canonical owner, consumers, derived stores and whether they can be rebuilt.',
  glossary: 'Terms, what they are not, an example.',
  entities: 'Per table: grain (what one row is), keys, owner, lifecycle.',
  'entities.lifecycle': 'For stateful tables: lifecycle column, states, initial, terminal, transitions.',
  invariants: 'Rules that must always hold, how each is enforced (enforced_by names the constraint).',
  access_patterns: 'Important queries with :parameters, frequency, latency_p95 and the index that serves them.',
  volumes: 'Rows, growth per month and retention per table.',
  transactions: 'Operations: tables, isolation, locks, retry, outbox.',
  migration: 'strategy and steps (action, owner, guard, rollback), backfill, validation.',
  'migration.compatibility': 'Which app versions work with which schema states.',
  rollback: 'A rollback (or "roll-forward only") on every migration step.',
  audit: 'How history is kept so past states can be reconstructed.',
  traceability: 'Each requirement, where it comes from, and the evidence in this design.',
  security: 'classification, roles, tenant_isolation, retention.',
  'security.classification': 'Sensitive columns (table.column), their level and protection.',
  'security.retention': 'How long each table keeps data and how erasure works.',
  'security.tenant_isolation': 'Tenant column, RLS policies, the setting they read, the application role.',
  integration: 'Events, CDC, exports: producer, consumer, contract, delivery (at least once), rebuildable.',
  observability: 'metrics (signal, metric, threshold, action) and runbooks.',
  recovery: 'Per scope: RPO, RTO, restore method, tested.',
  failure_modes: 'What fails, why, the impact, how it is detected and mitigated.',
  risks: 'Each risk scored likelihood x impact (1-5), with an owner and a deadline.',
  tests: 'What each test proves.',
  rollout: 'Sequence of changes, flags, validation, rollback.',
  decisions: 'ADRs: context, options, decision, consequences, revisit trigger.',
  schema: 'The physical schema: schema: FILE or migrations: FOLDER.',
};

function yamlBlock(key: string, value: unknown): string {
  return stringify({ [key]: value }, { lineWidth: 100 }).trimEnd();
}

function describeUnique(t: Table, cols: string[], name: string): string {
  return `no two ${displayName(t)} rows share (${cols.join(', ')}) (${name})`;
}

export function initDesign(kind: string, catalog: Catalog | undefined, schemaRef: string | undefined, title: string): string {
  const out: string[] = [
    '# Design file for schemaproof. Run `schemaproof check` to see what remains to be written.',
    `design: ${JSON.stringify(title)}`,
    `kind: ${kind}`,
    'status: draft',
    '# owner: the team that owns this design',
  ];
  out.push(schemaRef ? `schema: ${JSON.stringify(schemaRef)}` : `# ${WHAT.schema}\n# schema: schema.sql`);
  const required = new Set(REQUIRED[kind] ?? []);
  const tables = catalog ? [...catalog.tables.values()].filter((t) => !t.partitionOf).sort((a, b) => (a.key < b.key ? -1 : 1)) : [];
  const filled = new Set<string>();
  if (tables.length) {
    filled.add('entities');
    out.push('', `# ${WHAT.entities}`, 'entities:');
    for (const t of tables) {
      const pk = t.constraints.find((c) => c.kind === 'primary');
      out.push(`  ${displayName(t)}:`, '    grain:  # TODO: what is one row of this table?');
      if (pk) out.push(`    keys: { primary: ${JSON.stringify(pk.columns.join(', '))} }`);
    }
    const invariants: Record<string, unknown>[] = [];
    for (const t of tables) {
      for (const c of t.constraints) {
        if (c.kind === 'unique') invariants.push({ rule: describeUnique(t, c.columns, c.name), enforced_by: c.name });
        if (c.kind === 'check') invariants.push({ rule: `${displayName(t)}: ${c.check?.text ?? c.name} (${c.name})`, enforced_by: c.name });
        if (c.kind === 'foreign') invariants.push({ rule: `every ${displayName(t)} row points at an existing ${c.ref?.table.replace(/^public\./, '')} (${c.columns.join(', ')})`, enforced_by: c.name });
        if (c.kind === 'exclusion') invariants.push({ rule: `no two ${displayName(t)} rows conflict on ${c.columns.join(', ')} (${c.name})`, enforced_by: c.name });
      }
    }
    for (const ix of catalog!.indexes.values()) {
      const t = catalog!.tables.get(ix.table);
      if (!t || t.partitionOf || ix.constraint || !ix.unique) continue;
      invariants.push({ rule: describeUnique(t, ix.keys.map((k) => k.column ?? k.expr?.text ?? 'expr'), ix.name) + (ix.where ? ` where ${ix.where.text}` : ''), enforced_by: ix.name });
    }
    if (invariants.length) {
      filled.add('invariants');
      out.push('', `# ${WHAT.invariants}`, yamlBlock('invariants', invariants.map((inv, i) => ({ id: `INV-${String(i + 1).padStart(3, '0')}`, ...inv, enforcement: 'constraint' }))));
    }
    const patterns: Record<string, unknown>[] = [];
    for (const ix of [...catalog!.indexes.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
      const t = catalog!.tables.get(ix.table);
      if (!t || t.partitionOf || ix.constraint) continue;
      const cols = ix.keys.filter((k) => k.column).map((k) => k.column!);
      if (!cols.length || cols.length !== ix.keys.length) continue;
      const where = [...cols.map((c) => `${c} = :${c}`), ...(ix.where ? [ix.where.text] : [])].join(' AND ');
      patterns.push({ id: `Q-${String(patterns.length + 1).padStart(3, '0')}`, name: `TODO: which query needs ${ix.name}?`, sql: `SELECT * FROM ${displayName(t)} WHERE ${where}`, index: ix.name });
    }
    if (patterns.length) {
      filled.add('access_patterns');
      out.push('', `# ${WHAT.access_patterns}`, yamlBlock('access_patterns', patterns));
    }
  }
  for (const section of required) {
    if (filled.has(section) || section === 'schema') continue;
    const key = section.split('.')[0]!;
    out.push('', `# ${key === section ? '' : `${section}: `}${WHAT[section] ?? ''}`.replace('#  ', '# '), `# ${key}:`);
  }
  return `${out.join('\n')}\n`;
}
