/** Findings are sorted once, here, and summarised; renderers only format. */
import { type Finding, type Severity, SEVERITY_RANK } from '../types.js';

export interface Summary { readonly errors: number; readonly warnings: number; readonly infos: number }

/** Code-point order: the same on every machine, whatever its locale. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) =>
    cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.rule, b.rule) || cmp(a.object, b.object) || cmp(a.message, b.message));
}

export function summarize(findings: readonly Finding[]): Summary {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else infos++;
  }
  return { errors, warnings, infos };
}

/** Exit code: 1 when any finding is at or above the failing severity. */
export function exitCodeFor(findings: readonly Finding[], failOn: Severity): 0 | 1 {
  return findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]) ? 1 : 0;
}
