/** SARIF 2.1.0, the shape GitHub code scanning reads. */
import type { Finding } from '../types.js';
import type { Rule } from '../engine/rule.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

export function renderSarif(findings: readonly Finding[], rules: readonly Rule[], version: string): string {
  const used = rules;
  const index = new Map(used.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'schemaproof',
          version,
          informationUri: 'https://github.com/schemaproof/schemaproof',
          rules: used.map((r) => ({
            id: r.id,
            name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
            shortDescription: { text: r.meta.description },
            fullDescription: { text: r.meta.description },
            helpUri: `https://github.com/schemaproof/schemaproof/blob/main/src/rules/${r.id}.md`,
            defaultConfiguration: { level: LEVEL[r.meta.severity], ...(r.meta.optIn ? { enabled: false } : {}) },
            properties: { category: r.meta.category },
          })),
        },
      },
      results: findings.map((f) => ({
        ruleId: f.rule,
        ruleIndex: index.get(f.rule) ?? 0,
        level: LEVEL[f.severity],
        message: { text: f.help ? `${f.message}\nFix: ${f.help}` : f.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: f.file.split('\\').join('/') },
            region: { startLine: Math.max(1, f.line), startColumn: Math.max(1, f.column) },
          },
          logicalLocations: [{ name: f.object }],
        }],
        partialFingerprints: { schemaproofObject: `${f.rule}:${f.object}` },
      })),
    }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
