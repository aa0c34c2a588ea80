/**
 * The design document as one self-contained HTML file: works offline (Mermaid inlined),
 * table of contents, status badges, print styles. Every text is escaped.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Block, Cell, DesignDocument } from '../document/model.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

let mermaidJs: string | undefined;
function mermaidScript(): string {
  if (mermaidJs === undefined) {
    const path = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
    // A literal "</script" inside the bundle would end the inline script early.
    mermaidJs = readFileSync(path, 'utf8').replace(/<\/script/gi, '<\\/script');
  }
  return mermaidJs;
}

function cell(c: Cell): string {
  if (typeof c === 'string') return esc(c);
  const cls = c.status.replace(' ', '-');
  return `<span class="badge ${cls}">${esc(c.status)}</span> ${esc(c.text)}`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'paragraph': return `<p>${esc(b.text.trim())}</p>`;
    case 'heading': return `<h3>${esc(b.text)}</h3>`;
    case 'list': return `<ul>${b.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
    case 'code': return `<pre class="code"><code class="language-${esc(b.lang)}">${esc(b.text.trimEnd())}</code></pre>`;
    case 'mermaid': return `<figure><pre class="mermaid" aria-label="${esc(b.title)}">${esc(b.text)}</pre><figcaption>${esc(b.title)}</figcaption></figure>`;
    case 'not-written': return `<p class="not-written">Not written. A design of this kind needs: ${esc(b.what)}.</p>`;
    case 'table': return `<div class="table"><table><thead><tr>${b.headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${b.rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;
    case 'checklist': return `<ul class="checklist">${b.items.map((i) => `<li class="${i.done ? 'done' : 'open'}"><span class="box">${i.done ? '☑' : '☐'}</span> ${esc(i.text)}${i.why ? ` <em>(${esc(i.why)})</em>` : ''}</li>`).join('')}</ul>`;
    case 'findings': return `<div class="findings"><p>Review findings</p><ul>${b.items.map((f) => `<li><span class="badge sev-${f.severity}">${f.severity}</span> <code>${esc(f.rule)}</code> ${esc(f.message)} <small>${esc(f.where)}</small></li>`).join('')}</ul></div>`;
  }
}

const CSS = `
:root { --fg: #1d2330; --muted: #5b6475; --line: #d9dee7; --accent: #2f5fd0; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); margin: 0; display: grid; grid-template-columns: 260px 1fr; }
nav { position: sticky; top: 0; height: 100vh; overflow: auto; padding: 24px 16px; border-right: 1px solid var(--line); background: #f7f8fb; font-size: 13px; }
nav a { display: block; color: var(--fg); text-decoration: none; padding: 2px 0; }
nav a:hover { color: var(--accent); }
main { padding: 32px 48px; max-width: 1200px; }
h1 { margin: 0 0 4px; font-size: 28px; } .subtitle { color: var(--muted); margin: 0 0 16px; }
h2 { margin-top: 40px; padding-top: 8px; border-top: 2px solid var(--line); font-size: 21px; }
h3 { font-size: 16px; margin: 20px 0 8px; }
.table { overflow-x: auto; } table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; } th { background: #eef1f6; }
pre.code { background: #f4f6fa; border: 1px solid var(--line); padding: 10px 12px; overflow-x: auto; font-size: 12.5px; }
figure { margin: 12px 0 20px; } figcaption { color: var(--muted); font-size: 12px; }
pre.mermaid { background: white; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600; color: white; white-space: nowrap; }
.badge.proven { background: #1f8a4c; } .badge.refuted { background: #c62828; } .badge.unproven { background: #b7791f; } .badge.not-proven { background: #7a8496; }
.badge.sev-error { background: #c62828; } .badge.sev-warning { background: #b7791f; } .badge.sev-info { background: #2f5fd0; }
.not-written { border-left: 4px solid #b7791f; background: #fff8e6; padding: 8px 12px; }
.checklist { list-style: none; padding-left: 0; } .checklist li.open { color: #8a3b12; } .checklist em { color: var(--muted); }
.findings { border-left: 4px solid #c62828; background: #fdf1f1; padding: 6px 12px; margin: 8px 0; } .findings p { margin: 4px 0; font-weight: 600; }
.proof-summary { padding: 8px 12px; background: #eef6f0; border: 1px solid #cfe6d6; }
@media print {
  body { display: block; font-size: 11pt; } nav { display: none; } main { padding: 0; max-width: none; }
  h2 { break-after: avoid; } table, figure, pre { break-inside: avoid; } .badge { border: 1px solid #000; color: #000; background: none !important; }
}`;

export function renderHtml(doc: DesignDocument): string {
  const toc = doc.sections.map((s) => `<a href="#${s.id}">${esc(`${s.number}. ${s.title}`)}</a>`).join('\n');
  const body = doc.sections.map((s) => `<section id="${s.id}"><h2>${esc(`${s.number}. ${s.title}`)}</h2>\n${s.blocks.map(block).join('\n')}</section>`).join('\n');
  const proof = doc.proof ? `<p class="proof-summary">Proof on ${esc(doc.proof.engine)}: <span class="badge proven">${doc.proof.proven} proven</span> <span class="badge refuted">${doc.proof.refuted} refuted</span> <span class="badge unproven">${doc.proof.unproven} unproven</span></p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="schemaproof">
<title>${esc(doc.title)}</title>
<style>${CSS}</style>
</head>
<body>
<nav aria-label="Contents"><strong>Contents</strong>
${toc}
</nav>
<main>
<h1>${esc(doc.title)}</h1>
<p class="subtitle">${esc(doc.subtitle)}</p>
${proof}
${body}
</main>
<script>${mermaidScript()}</script>
<script>mermaid.initialize({ startOnLoad: true, securityLevel: 'strict', theme: 'default' });</script>
</body>
</html>
`;
}
