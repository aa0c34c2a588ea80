// Regenerates the rules index in README.md from rule metadata (run after `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';
import { RULES, renderRulesIndex } from '../dist/src/index.js';

const file = new URL('../README.md', import.meta.url);
const readme = readFileSync(file, 'utf8');
const start = '<!-- rules:start -->';
const end = '<!-- rules:end -->';
const a = readme.indexOf(start);
const b = readme.indexOf(end);
if (a === -1 || b === -1) throw new Error('README.md lacks the rules index markers');
writeFileSync(file, `${readme.slice(0, a + start.length)}\n${renderRulesIndex(RULES)}${readme.slice(b)}`);
