/** Mermaid diagrams from the catalog and the design: ER diagram, lifecycles, migration steps. */
import type { Catalog, Table } from '../catalog/model.js';
import { displayName } from '../catalog/model.js';
import type { Lifecycle, MigrationStep } from '../load/design/types.js';
import { asList } from '../load/design/types.js';

function ident(s: string): string {
  return s.replace(/[^A-Za-z0-9_]/g, '_');
}

function typeToken(t: string): string {
  return t.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'type';
}

function label(s: string): string {
  return s.replace(/"/g, "'");
}

/** True when the columns are exactly a primary key or a unique constraint of the table. */
function isUnique(t: Table, cols: readonly string[]): boolean {
  return t.constraints.some((c) => (c.kind === 'primary' || c.kind === 'unique') && c.columns.length === cols.length && c.columns.every((x) => cols.includes(x)));
}

export function erDiagram(catalog: Catalog, tables: Table[]): string {
  const lines = ['erDiagram'];
  const keys = new Set(tables.map((t) => t.key));
  for (const t of tables) {
    const pk = new Set(t.constraints.filter((c) => c.kind === 'primary').flatMap((c) => c.columns));
    const fk = new Set(t.constraints.filter((c) => c.kind === 'foreign').flatMap((c) => c.columns));
    const uk = new Set(t.constraints.filter((c) => c.kind === 'unique').flatMap((c) => c.columns));
    lines.push(`  ${ident(displayName(t))} {`);
    for (const c of t.columns) {
      const marks = [pk.has(c.name) ? 'PK' : '', fk.has(c.name) ? 'FK' : '', uk.has(c.name) && !pk.has(c.name) ? 'UK' : ''].filter(Boolean).join(', ');
      lines.push(`    ${typeToken(c.type.display)} ${ident(c.name)}${marks ? ` ${marks}` : ''}`);
    }
    lines.push('  }');
  }
  for (const t of tables) {
    for (const fk of t.constraints) {
      if (fk.kind !== 'foreign' || !fk.ref || !keys.has(fk.ref.table)) continue;
      const parent = catalog.tables.get(fk.ref.table)!;
      const required = fk.columns.every((c) => t.columns.find((x) => x.name === c)?.notNull);
      const parentSide = required ? '||' : '|o';
      const childSide = isUnique(t, fk.columns) ? 'o|' : 'o{';
      lines.push(`  ${ident(displayName(parent))} ${parentSide}--${childSide} ${ident(displayName(t))} : "${label(fk.name)}"`);
    }
  }
  return lines.join('\n');
}

export function stateDiagram(lc: Lifecycle): string {
  const lines = ['stateDiagram-v2'];
  const s = (x: string): string => ident(x);
  if (lc.initial) lines.push(`  [*] --> ${s(lc.initial)}`);
  for (const tr of lc.transitions ?? []) {
    for (const from of asList(tr.from)) {
      const note = [tr.actor, tr.reason].filter(Boolean).join(': ');
      lines.push(`  ${s(from)} --> ${s(tr.to)}${note ? ` : ${label(note).replace(/:/g, ' -')}` : ''}`);
    }
  }
  if (!(lc.transitions ?? []).length) for (const st of lc.states) lines.push(`  ${s(st)}`);
  for (const t of asList(lc.terminal)) lines.push(`  ${s(t)} --> [*]`);
  return lines.join('\n');
}

export function migrationFlow(steps: MigrationStep[]): string {
  const lines = ['flowchart TD'];
  steps.forEach((st, i) => {
    lines.push(`  s${i + 1}["${i + 1}. ${label(st.action ?? '')}"]`);
    if (i > 0) lines.push(`  s${i} --> s${i + 1}`);
  });
  steps.forEach((st, i) => {
    if (st.rollback && !/roll-forward only/i.test(st.rollback)) lines.push(`  s${i + 1} -. rollback .-> r${i + 1}(["${label(st.rollback)}"])`);
  });
  return lines.join('\n');
}
