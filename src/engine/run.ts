/** Runs the rules over the inputs and turns their reports into findings. */
import type { Finding, Loc, Severity } from '../types.js';
import type { Statement } from '../load/sql/parse.js';
import type { RuleSetting } from '../load/design/types.js';
import type { Ignore } from '../load/design/types.js';
import type { Report, Rule, RuleContext } from './rule.js';

export type RuleConfig = Readonly<Record<string, RuleSetting>>;

/** A message template cut at its `{name}` holes: text at even indexes, names at odd ones. */
const TEMPLATES = new Map<string, string[]>();

function format(template: string, data: Readonly<Record<string, string | number>> | undefined): string {
  let parts = TEMPLATES.get(template);
  if (!parts) TEMPLATES.set(template, parts = template.split(/\{(\w+)\}/));
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const k = parts[i]!;
    out += (data && k in data ? String(data[k]) : `{${k}}`) + parts[i + 1]!;
  }
  return out;
}

/** A rule's report as a finding: the message is the rule's template filled with the report's data. */
export function findingOf(rule: Rule, severity: Severity, r: Omit<Report, 'severity' | 'path'>): Finding {
  const template = rule.meta.messages[r.messageId];
  if (template === undefined) throw new Error(`rule ${rule.id} reported unknown message id ${r.messageId}`);
  return {
    rule: rule.id,
    messageId: r.messageId,
    severity,
    message: format(template, r.data),
    file: r.loc.file,
    line: r.loc.line,
    column: r.loc.column,
    object: r.object,
    ...(r.help ? { help: r.help } : {}),
  };
}

interface StatementSpan { start: number; end: number; stmt: Statement }

/** Statements by file, sorted by line, to find the statement a finding's location falls in. */
class SuppressionIndex {
  private readonly byFile = new Map<string, StatementSpan[]>();

  constructor(statements: readonly Statement[]) {
    for (const s of statements) {
      if (s.suppressions.length === 0) continue;
      const list = this.byFile.get(s.loc.file) ?? [];
      list.push({ start: s.loc.line, end: s.source.locAt(s.end).line, stmt: s });
      this.byFile.set(s.loc.file, list);
    }
  }

  suppressed(rule: string, loc: Loc): boolean {
    const list = this.byFile.get(loc.file);
    if (!list) return false;
    return list.some((s) => loc.line >= s.start && loc.line <= s.end && s.stmt.suppressions.some((x) => x.rules.includes(rule) && x.reason));
  }
}

export interface EngineInput {
  readonly rules: readonly Rule[];
  readonly config: RuleConfig;
  readonly context: Omit<RuleContext, 'report' | 'options'>;
  /** Design-level `ignore:` lists by the pointer of the item that holds them. */
  readonly ignoresAt: (path: string) => readonly Ignore[];
}

export function severityOf(rule: Rule, config: RuleConfig): Severity | 'off' {
  const s = config[rule.id];
  if (s === undefined) return rule.meta.optIn ? 'off' : rule.meta.severity;
  if (typeof s === 'string') return s;
  return s.severity ?? rule.meta.severity;
}

export function optionsOf(rule: Rule, config: RuleConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, o] of Object.entries(rule.meta.options ?? {})) out[k] = o.default;
  const s = config[rule.id];
  if (s && typeof s === 'object' && s.options) Object.assign(out, s.options);
  return out;
}

function ignoredByDesign(rule: string, path: string | undefined, ignoresAt: EngineInput['ignoresAt']): boolean {
  if (!path) return false;
  let p = path;
  for (;;) {
    if (ignoresAt(p).some((i) => i.rule === rule && typeof i.reason === 'string' && i.reason.trim())) return true;
    if (p === '') return false;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

export function runRules(input: EngineInput): Finding[] {
  const findings: Finding[] = [];
  const suppressions = new SuppressionIndex(input.context.statements);
  for (const rule of input.rules) {
    const level = severityOf(rule, input.config);
    if (level === 'off') continue;
    const report = (r: Report): void => {
      if (suppressions.suppressed(rule.id, r.loc) || ignoredByDesign(rule.id, r.path, input.ignoresAt)) return;
      findings.push(findingOf(rule, r.severity && level === rule.meta.severity ? r.severity : level, r));
    };
    rule.check({ ...input.context, options: optionsOf(rule, input.config), report });
  }
  return findings;
}
