/** Findings are sorted once, here, and summarised; renderers only format. */
import { type Finding, type Severity, SEVERITY_RANK } from '../types.js';

export interface Summary { readonly errors: number; readonly warnings: number; readonly infos: number }

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) =>
    a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule) || a.object.localeCompare(b.object) || a.message.localeCompare(b.message));
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
