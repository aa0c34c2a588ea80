/** The design document as Markdown (GitHub flavour, Mermaid code blocks). */
import type { Block, Cell, DesignDocument } from '../document/model.js';

const BADGE = { proven: '✅ proven', refuted: '❌ refuted', unproven: '⚠️ unproven', 'not proven': '· not proven' } as const;

function cell(c: Cell): string {
  const text = typeof c === 'string' ? c : `${BADGE[c.status]}: ${c.text}`;
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function block(b: Block): string {
  switch (b.kind) {
    case 'paragraph': return `${b.text.trim()}\n`;
    case 'heading': return `#### ${b.text}\n`;
    case 'list': return `${b.items.map((i) => `- ${i}`).join('\n')}\n`;
    case 'code': return `\`\`\`${b.lang}\n${b.text.trimEnd()}\n\`\`\`\n`;
    case 'mermaid': return `\`\`\`mermaid\n${b.text}\n\`\`\`\n`;
    case 'not-written': return `> _Not written._ A design of this kind needs: ${b.what}.\n`;
    case 'table': return `| ${b.headers.join(' | ')} |\n|${b.headers.map(() => '---').join('|')}|\n${b.rows.map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n')}\n`;
    case 'checklist': return `${b.items.map((i) => `- [${i.done ? 'x' : ' '}] ${i.text}${i.why ? ` — ${i.why}` : ''}`).join('\n')}\n`;
    case 'findings': return `Review findings:\n\n${b.items.map((f) => `- **${f.severity}** \`${f.rule}\` ${f.message} (${f.where})`).join('\n')}\n`;
  }
}

export function renderMarkdown(doc: DesignDocument): string {
  const out: string[] = [`# ${doc.title}`, '', `_${doc.subtitle}_`, ''];
  if (doc.proof) out.push(`Proof on ${doc.proof.engine}: ${doc.proof.proven} proven, ${doc.proof.refuted} refuted, ${doc.proof.unproven} unproven.`, '');
  out.push('## Contents', '', ...doc.sections.map((s) => `- [${s.number}. ${s.title}](#${s.id})`), '');
  for (const s of doc.sections) {
    out.push(`<a id="${s.id}"></a>`, '', `## ${s.number}. ${s.title}`, '');
    for (const b of s.blocks) out.push(block(b));
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
