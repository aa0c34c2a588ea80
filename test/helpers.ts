/** Test helpers: temporary design folders and rule-doc case extraction. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const RULES_DIR = join(ROOT, 'src/rules');
export const SHARED = resolve(ROOT, '../shared');

const made: string[] = [];
// Temporary folders live as long as the test process.
process.on('exit', () => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

export function tempDir(prefix = 'schemaproof-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Writes files (path -> content) into a new temporary folder and returns it. */
export function writeTree(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [p, content] of Object.entries(files)) {
    const full = join(dir, p);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}

export interface DocCase {
  readonly title: string;
  readonly sql: string;
  /** The SQL blocks one by one: for migration rules, earlier migrations then the one under test. */
  readonly sqlBlocks: string[];
  readonly yaml?: string;
  /** Lines marked `-- expected` (SQL) or `# expected` (YAML), by file. */
  readonly expectedSqlLines: number[];
  readonly expectedYamlLines: number[];
}

export interface RuleDoc {
  readonly text: string;
  readonly sections: Map<string, string>;
  readonly invalid: DocCase[];
  readonly valid: DocCase[];
}

function blocks(section: string): { lang: string; body: string }[] {
  const out: { lang: string; body: string }[] = [];
  const re = /```(\w+)[^\n]*\n([\s\S]*?)```/g;
  for (let m = re.exec(section); m; m = re.exec(section)) out.push({ lang: m[1]!, body: m[2]! });
  return out;
}

function markedLines(body: string, marker: RegExp): number[] {
  return body.split('\n').flatMap((l, i) => (marker.test(l) ? [i + 1] : []));
}

function casesOf(section: string | undefined): DocCase[] {
  if (!section) return [];
  const parts = section.split(/^### /m);
  const chunks = parts.length > 1 ? parts.slice(1) : [section];
  const cases: DocCase[] = [];
  for (const chunk of chunks) {
    const title = parts.length > 1 ? chunk.split('\n')[0]!.trim() : 'case';
    const bs = blocks(chunk);
    if (!bs.length) continue;
    const sqlBlocks = bs.filter((b) => b.lang === 'sql').map((b) => b.body);
    const sql = sqlBlocks.join('\n');
    const yamlBlock = bs.find((b) => b.lang === 'yaml');
    cases.push({
      title,
      sql,
      sqlBlocks,
      yaml: yamlBlock?.body,
      expectedSqlLines: markedLines(sql, /--\s*expected\s*$/),
      expectedYamlLines: yamlBlock ? markedLines(yamlBlock.body, /#\s*expected\s*$/) : [],
    });
  }
  return cases;
}

export function readRuleDoc(id: string): RuleDoc {
  const text = readFileSync(join(RULES_DIR, `${id}.md`), 'utf8');
  const sections = new Map<string, string>();
  const parts = text.split(/^## /m).slice(1);
  for (const p of parts) {
    const nl = p.indexOf('\n');
    sections.set(p.slice(0, nl).trim(), p.slice(nl + 1));
  }
  return { text, sections, invalid: casesOf(sections.get('Anti-pattern')), valid: casesOf(sections.get('Best practice')) };
}

/** Lays a doc case out as a design folder (or a lone schema file) and returns check options. */
export function caseFolder(c: DocCase): { target?: string; schema?: string; dir: string } {
  if (c.yaml === undefined) {
    const dir = writeTree({ 'schema.sql': c.sql });
    return { schema: join(dir, 'schema.sql'), dir };
  }
  const names = /^(schema|migrations):/m.test(c.yaml);
  const yaml = names ? c.yaml : `${c.yaml}${c.yaml.endsWith('\n') ? '' : '\n'}schema: schema.sql\n`;
  const dir = writeTree({ 'design.yaml': yaml, 'schema.sql': c.sql });
  return { target: dir, dir };
}

/** Lays a migration-rule case out as a folder of migrations: 001.sql, 002.sql ... */
export function migrationFolder(c: DocCase): { dir: string; last: string } {
  const files: Record<string, string> = {};
  c.sqlBlocks.forEach((b, i) => { files[`migrations/${String(i + 1).padStart(3, '0')}.sql`] = b; });
  const dir = writeTree(files);
  return { dir, last: `${String(c.sqlBlocks.length).padStart(3, '0')}.sql` };
}

/** Marked lines of the last SQL block only (the migration under test). */
export function lastBlockLines(c: DocCase): number[] {
  const last = c.sqlBlocks[c.sqlBlocks.length - 1] ?? '';
  return last.split('\n').flatMap((l, i) => (/--\s*expected\s*$/.test(l) ? [i + 1] : []));
}
