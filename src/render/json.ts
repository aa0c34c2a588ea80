/** The stable JSON output (version 1). Field order is part of the format. */
import type { Finding } from '../types.js';
import type { Summary } from '../report/findings.js';

export interface JsonReport {
  readonly version: 1;
  readonly findings: readonly Pick<Finding, 'rule' | 'severity' | 'message' | 'file' | 'line' | 'column' | 'object'>[];
  readonly summary: Summary;
}

export function toJsonReport(findings: readonly Finding[], summary: Summary): JsonReport {
  return {
    version: 1,
    findings: findings.map((f) => ({
      rule: f.rule, severity: f.severity, message: f.message, file: f.file, line: f.line, column: f.column, object: f.object,
      ...(f.help ? { help: f.help } : {}),
    })),
    summary: { errors: summary.errors, warnings: summary.warnings, infos: summary.infos },
  };
}

export function renderJson(findings: readonly Finding[], summary: Summary): string {
  return `${JSON.stringify(toJsonReport(findings, summary), null, 2)}\n`;
}
