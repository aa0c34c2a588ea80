/**
 * Builds the design document from a check result (and a proof, when there is one), in the
 * section order of the seed template. Sections the design leaves empty say "not written"
 * only where its kind requires them; otherwise they are left out.
 */
import type { Catalog, Table } from '../catalog/model.js';
import { displayName } from '../catalog/model.js';
import type { CheckResult } from '../check/run.js';
import { asList, type Design } from '../load/design/types.js';
import type { Claim } from '../prove/claims/types.js';
import type { ProveResult } from '../prove/run.js';
import { requiredSections, SECTIONS } from '../rules/missing-section.js';
import type { Finding } from '../types.js';
import { erDiagram, migrationFlow, stateDiagram } from './erd.js';
import type { Block, Cell, DesignDocument, Section } from './model.js';
import { parseCount } from '../load/design/counts.js';

const str = (v: unknown): string => (v === undefined || v === null ? '' : Array.isArray(v) ? v.map(str).join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v));

interface Ctx {
  design: Design;
  catalog: Catalog;
  findings: Finding[];
  claims: Claim[] | undefined;
  required: Set<string>;
}

function claimCell(ctx: Ctx, kind: string, id: string): Cell {
  if (!ctx.claims) return { status: 'not proven', text: 'run with --prove' };
  const c = ctx.claims.find((x) => x.kind === kind && x.id === id);
  if (!c) return { status: 'not proven', text: 'no claim to prove' };
  return { status: c.status, text: c.reason };
}

function findingsFor(ctx: Ctx, match: (f: Finding) => boolean): Block[] {
  const items = ctx.findings.filter(match).map((f) => ({ severity: f.severity, rule: f.rule, message: f.message, where: `${f.file}:${f.line}` }));
  return items.length ? [{ kind: 'findings', items }] : [];
}

/** A section: its blocks, or "not written" when required, or nothing. */
function section(ctx: Ctx, id: string, number: string, title: string, required: string[], blocks: Block[]): Section | undefined {
  if (blocks.length) return { id, number, title, blocks };
  const needed = required.filter((r) => ctx.required.has(r));
  if (needed.length) return { id, number, title, blocks: [{ kind: 'not-written', what: needed.join(', ') }] };
  return undefined;
}

function table(headers: string[], rows: Cell[][]): Block[] {
  return rows.length ? [{ kind: 'table', headers, rows }] : [];
}

function userTables(catalog: Catalog): Table[] {
  return [...catalog.tables.values()].filter((t) => !t.partitionOf).sort((a, b) => (a.key < b.key ? -1 : 1));
}

function columnTable(t: Table, meaning: (col: string) => string): Block {
  return {
    kind: 'table',
    headers: ['Column', 'Type', 'Nullable', 'Default', 'Meaning'],
    rows: t.columns.map((c) => [c.name, c.type.display + (c.identity ? ` identity ${c.identity}` : ''), c.notNull ? 'no' : 'yes', c.default?.text ?? (c.generated ? `generated: ${c.generated.text}` : ''), c.comment ?? meaning(c.name)]),
  };
}

function ddlOf(result: CheckResult, t: Table): string {
  const parts: string[] = [];
  for (const s of result.statements) {
    const k = s.kind;
    const rel = s.ast?.relation ?? s.ast?.table;
    const name = rel?.relname;
    if (!name) continue;
    if (name !== t.name || (rel.schemaname && rel.schemaname !== t.schema)) continue;
    if (['CreateStmt', 'AlterTableStmt', 'IndexStmt', 'CreatePolicyStmt', 'CreateTrigStmt'].includes(k)) parts.push(`${s.source.slice(s.start, s.end)};`);
  }
  return parts.join('\n\n');
}

function humanCount(n: number): string {
  if (n >= 1e9) return `${+(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${+(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

function fullSections(ctx: Ctx, result: CheckResult): Section[] {
  const d = ctx.design;
  const c = ctx.catalog;
  const out: (Section | undefined)[] = [];
  const ents = d.entities ?? {};
  const tables = userTables(c);

  // 0 Document control
  out.push({
    id: 'document-control', number: '0', title: 'Document control',
    blocks: [
      { kind: 'table', headers: ['Field', 'Value'], rows: ([
        ['Status', d.status], ['Owner', d.owner], ['Reviewers', (d as Record<string, unknown>).reviewers], ['Created', (d as Record<string, unknown>).created],
        ['Last updated', (d as Record<string, unknown>).updated], ['Target release', (d as Record<string, unknown>).target_release], ['Tickets', (d as Record<string, unknown>).tickets],
        ['Databases', (d as Record<string, unknown>).databases], ['Engine', (d as Record<string, unknown>).engine], ['Kind', d.kind], ['Risk level', d.risk],
      ] as [string, unknown][]).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, str(v)]) },
      ...(d.summary ? [{ kind: 'heading', text: 'Decision summary' } as Block, { kind: 'paragraph', text: d.summary } as Block] : [{ kind: 'not-written', what: 'summary' } as Block]),
      ...((d as Record<string, unknown>).non_technical_summary ? [{ kind: 'heading', text: 'Non-technical summary' } as Block, { kind: 'paragraph', text: str((d as Record<string, unknown>).non_technical_summary) } as Block] : []),
    ],
  });
  // 1 Problem
  const p = d.problem ?? {};
  out.push(section(ctx, 'problem', '1', 'Problem statement', ['problem', 'current'], [
    ...(p.current ?? d.current ? [{ kind: 'heading', text: 'Current situation' } as Block, { kind: 'paragraph', text: str(p.current ?? d.current) } as Block] : []),
    ...(p.goals?.length ? [{ kind: 'heading', text: 'Goals' } as Block, { kind: 'list', items: p.goals.map(str) } as Block] : []),
    ...(p.non_goals?.length ? [{ kind: 'heading', text: 'Non-goals' } as Block, { kind: 'list', items: p.non_goals.map(str) } as Block] : []),
    ...(p.success_criteria?.length ? [{ kind: 'heading', text: 'Success criteria' } as Block, { kind: 'list', items: p.success_criteria.map(str) } as Block] : []),
  ]));
  // 2 Domain
  const actors = (d.actors ?? []) as Record<string, unknown>[];
  const commands = (d.commands ?? []) as Record<string, unknown>[];
  out.push(section(ctx, 'domain', '2', 'Domain, actors and commands', ['actors', 'commands'], [
    ...(actors.length ? [{ kind: 'heading', text: 'Actors' } as Block, ...table(['Actor', 'Role', 'Creates', 'Reads', 'Rules'], actors.map((a) => [str(a.name), str(a.role), str(a.creates), str(a.reads), str(a.rules)]))] : []),
    ...(commands.length ? [{ kind: 'heading', text: 'Commands and events' } as Block, ...table(['Command', 'Actor', 'Preconditions', 'State change', 'Events'], commands.map((x) => [str(x.name), str(x.actor), str(x.preconditions), str(x.changes), str(x.events)]))] : []),
  ]));
  // 3 Authority
  out.push(section(ctx, 'authority', '3', 'Data authority and ownership', ['authority'],
    table(['Data', 'Canonical owner', 'Consumers', 'Derived stores', 'Rebuildable'], (d.authority ?? []).map((a) => [str(a.data), str(a.owner), str(a.consumers), str(a.derived), a.rebuildable === undefined ? '' : `${a.rebuildable ? 'yes' : 'no'}${a.rebuild ? ` (${a.rebuild})` : ''}`]))));
  // 4 Glossary
  out.push(section(ctx, 'glossary', '4', 'Glossary', ['glossary'],
    table(['Term', 'Definition', 'Not this', 'Example'], ((d.glossary ?? []) as Record<string, unknown>[]).map((g) => [str(g.term), str(g.definition), str(g.not), str(g.example)]))));
  // 5 Conceptual model
  out.push(section(ctx, 'conceptual-model', '5', 'Conceptual model', [],
    table(['Entity', 'Meaning', 'Lifecycle', 'Owner', 'Tenant-scoped', 'History'], Object.entries(ents).map(([n, e]) => [n, str(e.meaning ?? e.grain), e.lifecycle ? e.lifecycle.states.join(' → ') : '', str(e.owner), e.tenant_scoped ? 'yes' : 'no', e.history ? 'yes' : 'no']))));
  // 6 Logical model
  const logical: Block[] = [];
  logical.push(...table(['Table', 'Grain'], tables.map((t) => [displayName(t), ents[t.name]?.grain ?? ents[t.key]?.grain ?? '(no grain written)'])));
  const keyRows = Object.entries(ents).filter(([, e]) => e.keys).map(([n, e]) => [n, str(e.keys?.primary), str(e.keys?.natural), str(e.keys?.public)]);
  if (keyRows.length) logical.push({ kind: 'heading', text: 'Keys and identity' }, ...table(['Entity', 'Primary', 'Natural', 'Public'], keyRows));
  const card: Cell[][] = [];
  for (const t of tables) for (const fk of t.constraints) {
    if (fk.kind !== 'foreign' || !fk.ref) continue;
    const parent = c.tables.get(fk.ref.table);
    const optional = fk.columns.some((x) => !t.columns.find((y) => y.name === x)?.notNull);
    const unique = t.constraints.some((u) => (u.kind === 'unique' || u.kind === 'primary') && u.columns.length === fk.columns.length && u.columns.every((x) => fk.columns.includes(x)));
    card.push([`${parent ? displayName(parent) : fk.ref.table} → ${displayName(t)}`, unique ? 'one-to-one' : 'one-to-many', optional ? 'optional' : 'required', `${fk.name} (${fk.columns.join(', ')})${fk.onDelete && fk.onDelete !== 'no action' ? `, on delete ${fk.onDelete}` : ''}`]);
  }
  if (card.length) logical.push({ kind: 'heading', text: 'Cardinality' }, ...table(['Relationship', 'Cardinality', 'Optional?', 'Enforcement'], card));
  if (tables.length) logical.push({ kind: 'mermaid', title: 'Entity-relationship diagram', text: erDiagram(c, tables) });
  for (const [n, e] of Object.entries(ents)) {
    if (!e.lifecycle?.states?.length) continue;
    logical.push({ kind: 'heading', text: `Lifecycle of ${n} (${e.lifecycle.column})` }, { kind: 'mermaid', title: `Lifecycle of ${n}`, text: stateDiagram(e.lifecycle) });
  }
  out.push(section(ctx, 'logical-model', '6', 'Logical model', ['entities', 'entities.lifecycle'], logical));
  // 7 Physical schema
  const physical: Block[] = [];
  if (ctx.claims) {
    const applies = ctx.claims.filter((x) => x.kind === 'schema-applies');
    if (applies.length) physical.push(...table(['Schema file', 'Applies'], applies.map((a) => [a.id, { status: a.status, text: a.reason }])));
  }
  for (const t of tables) {
    const e = ents[t.name] ?? ents[t.key];
    physical.push({ kind: 'heading', text: displayName(t) });
    if (t.comment || e?.meaning) physical.push({ kind: 'paragraph', text: t.comment ?? e!.meaning! });
    physical.push(columnTable(t, () => ''));
    const ddl = ddlOf(result, t);
    if (ddl) physical.push({ kind: 'code', lang: 'sql', text: ddl });
    physical.push(...findingsFor(ctx, (f) => f.file.endsWith('.sql') && (f.object === displayName(t) || f.object.startsWith(`${displayName(t)}.`))));
  }
  const ixRows: Cell[][] = [];
  for (const ix of [...c.indexes.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    const t = c.tables.get(ix.table);
    if (!t || t.partitionOf) continue;
    const serves = [...(d.access_patterns ?? []).filter((q) => q.index === ix.name).map((q) => q.id), ...(d.invariants ?? []).filter((i) => asList(i.enforced_by).includes(ix.name)).map((i) => i.id)].filter(Boolean).join(', ');
    const cols = ix.keys.map((k) => (k.column ?? k.expr?.text ?? 'expr') + (k.desc ? ' DESC' : '')).join(', ');
    ixRows.push([ix.name, displayName(t), `${ix.unique ? 'unique ' : ''}${ix.method} (${cols})${ix.include.length ? ` INCLUDE (${ix.include.join(', ')})` : ''}${ix.where ? ` WHERE ${ix.where.text}` : ''}`, ix.primary ? 'primary key' : ix.constraint ? `constraint ${ix.constraint}` : serves || 'justified by a foreign key or not at all']);
  }
  if (ixRows.length) physical.push({ kind: 'heading', text: 'Index plan' }, ...table(['Index', 'Table', 'Definition', 'Serves'], ixRows));
  out.push(section(ctx, 'physical-schema', '7', 'Physical schema', ['schema'], physical));
  // 8 Invariants
  out.push(section(ctx, 'invariants', '8', 'Invariants and enforcement matrix', ['invariants'], [
    ...table(['ID', 'Invariant', 'Enforcement', 'Enforced by', 'Test', 'Monitoring', 'Repair', 'Proof'], (d.invariants ?? []).map((i) => [str(i.id), str(i.rule), str(i.enforcement), str(i.enforced_by), str(i.test), str(i.monitoring), str(i.repair), claimCell(ctx, 'invariant', i.id)])),
    ...(d.invariants ?? []).filter((i) => i.drift_query).flatMap((i) => [{ kind: 'heading', text: `Drift query for ${i.id} (must return no rows)` } as Block, { kind: 'code', lang: 'sql', text: str(i.drift_query).trim() } as Block, ...(ctx.claims ? table(['Claim', 'Proof'], [[`drift ${i.id}`, claimCell(ctx, 'drift', i.id)]]) : [])]),
    ...((d.invariants ?? []).some((i) => ctx.claims?.some((x) => x.kind === 'concurrency' && x.id === i.id)) ? table(['Concurrency', 'Proof'], (d.invariants ?? []).filter((i) => ctx.claims?.some((x) => x.kind === 'concurrency' && x.id === i.id)).map((i) => [i.id, claimCell(ctx, 'concurrency', i.id)])) : []),
    ...findingsFor(ctx, (f) => /^INV-/.test(f.object)),
  ]));
  // 9 Workload
  const qs = d.access_patterns ?? [];
  out.push(section(ctx, 'workload', '9', 'Workload and access patterns', ['access_patterns'], [
    ...table(['ID', 'Query', 'Kind', 'Frequency', 'Latency p95', 'Consistency', 'Replica?', 'Index', 'Proof'], qs.map((q) => [str(q.id), str(q.name), str(q.kind ?? 'read'), str(q.frequency), str(q.latency_p95), str(q.consistency), q.replica_ok === undefined ? '' : q.replica_ok ? 'yes' : 'no', str(q.index), claimCell(ctx, 'access-pattern', q.id)])),
    ...qs.flatMap((q) => {
      const claim = ctx.claims?.find((x) => x.kind === 'access-pattern' && x.id === q.id);
      const plan = Array.isArray(claim?.evidence.plan) ? (claim!.evidence.plan as string[]).join('\n') : '';
      return [{ kind: 'heading', text: `${q.id}${q.name ? `: ${q.name}` : ''}` } as Block, { kind: 'code', lang: 'sql', text: str(q.sql).trim() } as Block, ...(plan ? [{ kind: 'code', lang: 'text', text: plan } as Block] : [])];
    }),
    ...findingsFor(ctx, (f) => /^Q-/.test(f.object)),
  ]));
  // 10 Transactions
  out.push(section(ctx, 'transactions', '10', 'Transactions and consistency', ['transactions'],
    table(['Operation', 'Tables', 'Isolation', 'Locks', 'Retry', 'Outbox'], ((d.transactions ?? []) as Record<string, unknown>[]).map((x) => [str(x.operation), str(x.tables), str(x.isolation), str(x.locks), str(x.retry), x.outbox === undefined ? '' : x.outbox ? 'yes' : 'no']))));
  // 11 Migration
  const m = d.migration;
  const mig: Block[] = [];
  if (m?.strategy) mig.push({ kind: 'paragraph', text: `Strategy: ${m.strategy}.` });
  if (m?.steps?.length) mig.push(...table(['Step', 'Action', 'Owner', 'Safety guard', 'Rollback'], m.steps.map((s, i) => [String(i + 1), str(s.action), str(s.owner), str(s.guard), str(s.rollback) || '(no rollback written)'])), { kind: 'mermaid', title: 'Migration steps', text: migrationFlow(m.steps) });
  if (m?.backfill) mig.push({ kind: 'heading', text: 'Backfill' }, ...table(['Chunk key', 'Chunk size', 'Rate', 'Idempotent'], [[str(m.backfill.chunk_key), str(m.backfill.chunk_size), str(m.backfill.rate), m.backfill.idempotent === undefined ? '' : m.backfill.idempotent ? 'yes' : 'no']]), ...(m.backfill.validation_query ? [{ kind: 'code', lang: 'sql', text: m.backfill.validation_query.trim() } as Block] : []));
  if (Array.isArray(m?.compatibility) && m!.compatibility.length) {
    const rows = (m!.compatibility as Record<string, unknown>[]).map((x) => [str(x.app), str(x.works_with ?? x.states ?? x.schema)]);
    mig.push({ kind: 'heading', text: 'Compatibility matrix' }, ...table(['App version', 'Works with schema states'], rows));
  }
  if (m?.validation?.length) mig.push({ kind: 'heading', text: 'Validation queries (must return no rows)' }, ...m.validation.map((v) => ({ kind: 'code', lang: 'sql', text: v.trim() }) as Block));
  out.push(section(ctx, 'migration', '11', 'Migration plan', ['migration', 'migration.compatibility', 'rollback'], mig));
  // 12 Security
  const sec = d.security ?? {};
  const ti = sec.tenant_isolation;
  const tenantTables = Object.entries(ents).filter(([, e]) => e.tenant_scoped).map(([n]) => n);
  out.push(section(ctx, 'security', '12', 'Security, privacy and audit', ['security', 'security.classification', 'security.retention', 'security.tenant_isolation', 'audit', 'traceability'], [
    ...(sec.classification?.length ? [{ kind: 'heading', text: 'Data classification' } as Block, ...table(['Column', 'Classification', 'Protection'], sec.classification.map((x) => [x.column, x.level, str(x.protection)]))] : []),
    ...(sec.roles?.length ? [{ kind: 'heading', text: 'Access model' } as Block, ...table(['Role', 'Grants'], sec.roles.map((r) => [r.name, str(r.grants)]))] : []),
    ...(ti ? [{ kind: 'heading', text: 'Tenant isolation' } as Block, { kind: 'paragraph', text: `Tenant column ${ti.column ?? 'tenant_id'}; row-level security ${ti.rls ? 'on' : 'off'}; policies read ${ti.setting ?? '(setting not named)'} for role ${ti.role ?? '(role not named)'}.` } as Block, ...table(['Tenant-scoped table', 'Isolation proof'], tenantTables.map((n) => [n, claimCell(ctx, 'rls', n)]))] : []),
    ...(d.audit ? [{ kind: 'heading', text: 'Audit' } as Block, ...table(['Aspect', 'Value'], Object.entries(d.audit as Record<string, unknown>).map(([k, v]) => [k, str(v)]))] : []),
    ...(Array.isArray(d.traceability) && d.traceability.length ? [{ kind: 'heading', text: 'Traceability' } as Block, ...table(['Requirement', 'Source', 'Evidence', 'Tables'], (d.traceability as Record<string, unknown>[]).map((x) => [str(x.requirement), str(x.source), str(x.evidence), str(x.tables)]))] : []),
    ...(sec.retention?.length ? [{ kind: 'heading', text: 'Retention and erasure' } as Block, ...table(['Table', 'Period', 'Erasure'], sec.retention.map((r) => [r.table, str(r.period), str(r.erasure)]))] : []),
  ]));
  // 13 Integration
  out.push(section(ctx, 'integration', '13', 'Integration and derived data', ['integration'],
    table(['Surface', 'Producer', 'Consumer', 'Contract', 'Delivery', 'Rebuildable'], (d.integration ?? []).map((x) => [x.surface, str(x.producer), str(x.consumer), str(x.contract), str(x.delivery), x.rebuildable === undefined ? '' : x.rebuildable ? 'yes' : 'no']))));
  // 14 Observability
  const obs = d.observability ?? {};
  out.push(section(ctx, 'observability', '14', 'Observability and operations', ['observability'], [
    ...table(['Signal', 'Metric', 'Threshold', 'Action'], ((obs.metrics ?? []) as Record<string, unknown>[]).map((x) => [str(x.signal), str(x.metric), str(x.threshold), str(x.action)])),
    ...(asList(obs.runbooks).length ? [{ kind: 'heading', text: 'Runbooks' } as Block, { kind: 'list', items: asList(obs.runbooks).map(str) } as Block] : []),
  ]));
  // 15 Recovery
  out.push(section(ctx, 'recovery', '15', 'Backup, restore and DR', ['recovery'],
    table(['Scope', 'RPO', 'RTO', 'Restore method', 'Tested?'], (d.recovery ?? []).map((r) => [r.scope, str(r.rpo), str(r.rto), str(r.method), r.tested ? 'yes' : 'no']))));
  // 16 Capacity
  const vols = Object.entries(d.volumes ?? {});
  out.push(section(ctx, 'capacity', '16', 'Capacity, cost and growth', ['volumes'],
    table(['Entity', 'Current rows', 'Growth / month', '12-month estimate', 'Retention'], vols.map(([n, v]) => {
      const rows = parseCount(v?.rows);
      const g = parseCount(v?.growth_per_month);
      return [n, str(v?.rows), str(v?.growth_per_month), rows !== undefined && g !== undefined ? humanCount(rows + 12 * g) : '', str(v?.retention)];
    }))));
  // 17 Failure modes and risks
  const risks = [...(d.risks ?? [])].sort((a, b) => ((b.likelihood ?? 0) * (b.impact ?? 0)) - ((a.likelihood ?? 0) * (a.impact ?? 0)));
  out.push(section(ctx, 'failure-modes', '17', 'Failure modes and risk register', ['failure_modes', 'risks'], [
    ...table(['Failure mode', 'Cause', 'Impact', 'Detection', 'Mitigation', 'Residual'], ((d.failure_modes ?? []) as Record<string, unknown>[]).map((x) => [str(x.mode), str(x.cause), str(x.impact), str(x.detection), str(x.mitigation), str(x.residual)])),
    ...(risks.length ? [{ kind: 'heading', text: 'Risk register (highest score first)' } as Block, ...table(['Risk', 'Likelihood', 'Impact', 'Score', 'Owner', 'Deadline'], risks.map((r) => [r.risk, str(r.likelihood), str(r.impact), r.likelihood && r.impact ? String(r.likelihood * r.impact) : 'unscored', str(r.owner) || '(no owner)', str(r.deadline)]))] : []),
  ]));
  // 18 Tests
  const tests = (d.tests ?? []) as unknown[];
  out.push(section(ctx, 'tests', '18', 'Testing strategy', ['tests'],
    tests.length ? table(['Test type', 'What it proves', 'Example'], tests.map((x) => (typeof x === 'string' ? ['', x, ''] : [str((x as Record<string, unknown>).type), str((x as Record<string, unknown>).proves), str((x as Record<string, unknown>).example)]))) : []));
  // 19 Rollout
  out.push(section(ctx, 'rollout', '19', 'Rollout plan', ['rollout'],
    table(['Sequence', 'Change', 'Flag', 'Validation', 'Rollback'], ((d.rollout ?? []) as Record<string, unknown>[]).map((x, i) => [String(i + 1), str(x.change), str(x.flag), str(x.validation), str(x.rollback)]))));
  // 20 Open questions
  out.push(section(ctx, 'open-questions', '20', 'Open questions', [],
    table(['Question', 'Owner', 'Deadline', 'Decision needed for'], (d.open_questions ?? []).map((q) => [q.question, str(q.owner) || '(no owner)', str(q.deadline) || '(no deadline)', str(q.needed_for)]))));
  // 21 Decisions
  out.push(section(ctx, 'decisions', '21', 'Decision records', ['decisions'],
    ((d.decisions ?? []) as Record<string, unknown>[]).flatMap((x) => [
      { kind: 'heading', text: `${str(x.id)}: ${str(x.title)}` } as Block,
      ...table(['Field', 'Value'], [['Status', str(x.status)], ['Context', str(x.context)], ['Options', str(x.options)], ['Decision', str(x.decision)], ['Consequences', str(x.consequences)], ['Revisit trigger', str(x.revisit)]].filter(([, v]) => v)),
    ])));
  // 22 Final review checklist
  out.push({ id: 'checklist', number: '22', title: 'Final review checklist', blocks: [checklist(ctx), ...findingsFor(ctx, (f) => !/^(INV|Q)-/.test(f.object) && !f.file.endsWith('.sql'))] });
  return out.filter((x): x is Section => Boolean(x));
}

function checklist(ctx: Ctx): Block {
  const d = ctx.design;
  const rules = (ids: string[]): Finding[] => ctx.findings.filter((f) => ids.includes(f.rule) && f.severity !== 'info');
  const item = (text: string, present: boolean, ids: string[]): { text: string; done: boolean; why?: string } => {
    const open = rules(ids);
    const why = !present ? 'not written' : open.length ? `${open.length} finding(s): ${[...new Set(open.map((f) => f.rule))].join(', ')}` : undefined;
    return { text, done: present && open.length === 0, ...(why ? { why } : {}) };
  };
  const s = (k: string): boolean => SECTIONS[k]?.(d) ?? false;
  const refuted = (kind: string): boolean => Boolean(ctx.claims?.some((c) => c.kind === kind && c.status === 'refuted'));
  return {
    kind: 'checklist',
    items: [
      item('problem is clearly defined', s('problem') || s('current'), []),
      item('goals and non-goals are explicit', Boolean(d.problem?.goals?.length && d.problem?.non_goals?.length), []),
      item('source of truth is identified', s('authority'), ['derived-store-without-rebuild']),
      item('conceptual model exists', s('entities'), []),
      item('every table has grain', s('entities'), ['entity-without-grain']),
      item('keys and identity are justified', Object.values(d.entities ?? {}).some((e) => e.keys), ['require-primary-key', 'prefer-bigint-or-uuid-key']),
      { ...item('critical invariants have enforcement', s('invariants'), ['invariant-without-enforcement', 'enforcement-object-missing', 'enforcement-object-wrong-kind']), ...(refuted('invariant') ? { done: false, why: 'an invariant claim is refuted' } : {}) },
      { ...item('query catalog maps to indexes', s('access_patterns'), ['access-pattern-index-mismatch', 'speculative-index', 'unindexed-foreign-key']), ...(refuted('access-pattern') ? { done: false, why: 'an access pattern claim is refuted' } : {}) },
      item('transaction boundaries are documented', s('transactions'), []),
      { ...item('concurrency failures are handled', s('transactions'), []), ...(refuted('concurrency') ? { done: false, why: 'a concurrency claim is refuted' } : {}) },
      item('migration plan is safe and reversible where possible', s('migration'), ['migration-step-without-rollback']),
      item('compatibility matrix exists', s('migration.compatibility'), []),
      { ...item('security and privacy boundaries are reviewed', s('security'), ['pii-without-protection', 'tenant-isolation', 'rls-policy-always-true', 'policy-without-rls', 'rls-enabled-no-policy']), ...(refuted('rls') ? { done: false, why: 'a tenant isolation claim is refuted' } : {}) },
      item('observability and runbooks exist', s('observability'), []),
      item('backup/restore impact is understood', s('recovery'), ['recovery-untested']),
      item('capacity model is present', s('volumes'), []),
      item('failure modes have mitigation', s('failure_modes'), []),
      item('rollout plan has gates', s('rollout'), []),
      item('open questions have owners', true, ['open-question-incomplete']),
      item('ADRs capture major tradeoffs', s('decisions'), []),
    ],
  };
}

/** The compact layout of seed 000 section 23, for add-column designs. */
function compactSections(ctx: Ctx, result: CheckResult): Section[] {
  const d = ctx.design;
  const c = ctx.catalog;
  const tables = userTables(c);
  const m = d.migration;
  const ents = d.entities ?? {};
  const sections: (Section | undefined)[] = [
    section(ctx, 'summary', '1', 'Summary', ['summary'], d.summary ? [{ kind: 'paragraph', text: d.summary }] : []),
    section(ctx, 'current', '2', 'Current behaviour', ['current'], (d.current ?? d.problem?.current) ? [{ kind: 'paragraph', text: str(d.current ?? d.problem?.current) }] : []),
    section(ctx, 'schema-change', '3', 'Proposed schema change', ['schema'], result.schemaFiles.length ? [{ kind: 'list', items: result.schemaFiles.map((f) => `${f}`) }, ...tables.map((t) => ({ kind: 'code', lang: 'sql', text: ddlOf(result, t) }) as Block).filter((b) => (b as { text: string }).text)] : []),
    section(ctx, 'data-meaning', '4', 'Data meaning', [], tables.flatMap((t) => [{ kind: 'heading', text: displayName(t) } as Block, ...(ents[t.name]?.grain ? [{ kind: 'paragraph', text: `One row: ${ents[t.name]!.grain}.` } as Block] : []), columnTable(t, () => '')])),
    section(ctx, 'compatibility', '5', 'Compatibility', ['migration.compatibility'], Array.isArray(m?.compatibility) ? table(['App version', 'Works with schema states'], (m!.compatibility as Record<string, unknown>[]).map((x) => [str(x.app), str(x.works_with ?? x.states)])) : []),
    section(ctx, 'constraints', '6', 'Constraints', [], table(['ID', 'Rule', 'Enforced by', 'Proof'], (d.invariants ?? []).map((i) => [i.id, i.rule, str(i.enforced_by), claimCell(ctx, 'invariant', i.id)]))),
    section(ctx, 'query-impact', '7', 'Index and query impact', [], table(['ID', 'Query', 'Index', 'Proof'], (d.access_patterns ?? []).map((q) => [q.id, str(q.name ?? q.sql), str(q.index), claimCell(ctx, 'access-pattern', q.id)]))),
    section(ctx, 'migration', '8', 'Migration plan', ['migration'], m?.steps?.length ? [...table(['Step', 'Action', 'Guard'], m.steps.map((s, i) => [String(i + 1), s.action, str(s.guard)])), { kind: 'mermaid', title: 'Migration steps', text: migrationFlow(m.steps) }] : []),
    section(ctx, 'rollback', '9', 'Rollback plan', ['rollback'], m?.steps?.length ? table(['Step', 'Rollback'], m.steps.map((s, i) => [String(i + 1), str(s.rollback) || '(no rollback written)'])) : []),
    section(ctx, 'security', '10', 'Security and privacy impact', [], d.security?.classification?.length ? table(['Column', 'Classification', 'Protection'], d.security.classification.map((x) => [x.column, x.level, str(x.protection)])) : []),
    section(ctx, 'tests', '11', 'Test plan', [], ((d.tests ?? []) as unknown[]).length ? [{ kind: 'list', items: (d.tests as unknown[]).map(str) }] : []),
    { id: 'review', number: '12', title: 'Review', blocks: [checklist(ctx), ...findingsFor(ctx, () => true)] },
  ];
  return sections.filter((x): x is Section => Boolean(x));
}

/** What the document needs of a proof: a live ProveResult or a saved proof JSON. */
export type ProofLike = Pick<ProveResult, 'engine' | 'summary'> & { claims: Claim[] };

export function buildDesignDocument(result: CheckResult, proof?: ProofLike): DesignDocument {
  const design = result.design?.design ?? {};
  const ctx: Ctx = { design, catalog: result.catalog, findings: result.findings, claims: proof?.claims, required: new Set(requiredSections(design)) };
  const compact = design.kind === 'add-column';
  return {
    title: design.design ?? 'Database design',
    subtitle: `${compact ? 'Database change design' : 'Database design document'}${design.kind ? ` · kind ${design.kind}` : ''}${design.status ? ` · ${design.status}` : ''}`,
    layout: compact ? 'compact' : 'full',
    sections: compact ? compactSections(ctx, result) : fullSections(ctx, result),
    ...(proof ? { proof: { engine: proof.engine, ...proof.summary } } : {}),
  };
}
