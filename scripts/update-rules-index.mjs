// Regenerates the rules index in docs/rules.md from rule metadata (run after `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';
import { RULES, renderRulesIndex } from '../dist/src/index.js';

const file = new URL('../docs/rules.md', import.meta.url);
const page = readFileSync(file, 'utf8');
const start = '<!-- rules:start -->';
const end = '<!-- rules:end -->';
const a = page.indexOf(start);
const b = page.indexOf(end);
if (a === -1 || b === -1) throw new Error('docs/rules.md lacks the rules index markers');
// The index links rule pages from the repository root; docs/rules.md is one folder down.
const index = renderRulesIndex(RULES).replaceAll('](src/rules/', '](../src/rules/');
writeFileSync(file, `${page.slice(0, a + start.length)}\n${index}${page.slice(b)}`);
