/** Human output: one block per finding with a source frame, then a summary line. */
import type { Finding } from '../types.js';
import type { Summary } from '../report/findings.js';

export interface TextOptions {
  readonly color: boolean;
  /** Returns the text of a line, for the source frame. */
  readonly lineOf?: (file: string, line: number) => string | undefined;
}

const C = { red: 31, yellow: 33, blue: 34, dim: 2, bold: 1, cyan: 36 } as const;

export function renderText(findings: readonly Finding[], summary: Summary, opts: TextOptions): string {
  const paint = (code: number, s: string): string => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sev = { error: paint(C.red, 'error'), warning: paint(C.yellow, 'warning'), info: paint(C.blue, 'info') };
  const parts: string[] = [];
  for (const f of findings) {
    parts.push(`${paint(C.bold, `${f.file}:${f.line}:${f.column}`)} ${sev[f.severity]} ${f.message} ${paint(C.dim, `[${f.rule}]`)}\n`);
    const src = opts.lineOf?.(f.file, f.line);
    if (src !== undefined) {
      const gutter = String(f.line);
      const shown = src.length > 200 ? `${src.slice(0, 200)}...` : src;
      parts.push(`  ${paint(C.dim, `${gutter} |`)} ${shown}\n`);
      parts.push(`  ${' '.repeat(gutter.length)} ${paint(C.dim, '|')} ${' '.repeat(Math.max(0, Math.min(f.column - 1, 200)))}${paint(C.cyan, '^')}\n`);
    }
    if (f.help) parts.push(`  ${paint(C.dim, 'fix:')} ${f.help}\n`);
  }
  const total = summary.errors + summary.warnings + summary.infos;
  const line = total === 0
    ? 'No findings.'
    : `${total} finding${total === 1 ? '' : 's'}: ${summary.errors} error${summary.errors === 1 ? '' : 's'}, ${summary.warnings} warning${summary.warnings === 1 ? '' : 's'}, ${summary.infos} info.`;
  parts.push(`${findings.length ? '\n' : ''}${paint(C.bold, line)}\n`);
  return parts.join('');
}
