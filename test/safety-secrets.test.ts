/**
 * A database password never reaches any output. The suite's cluster asks for a SCRAM password
 * on 127.0.0.1; `maker`'s password is passed in every form a user can give it (in the URL's
 * user info, as `?password=`, in PGPASSWORD), plus a wrong password and a port nobody listens
 * on, to every command that takes a URL: prove (text, json), check --prove (text, json,
 * sarif), render --prove (markdown, html, written with --out), migrations --trace (text, json,
 * sarif) and the MCP server's prove and migrations tools. A second role's password has
 * characters that URL-encoding changes, so neither its raw nor its encoded form may appear.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ROOT, tempDir } from './helpers.js';
import { ENCODED_PASSWORD, ENCODED_ROLE, MAKER_PASSWORD } from './safety/cluster.js';
import { type CliRun, cleanEnv, runCli, stackLines } from './safety/cli.js';
import { Target } from './safety/target.js';

const DESIGN = join(ROOT, 'examples/add-tracking-number');
const MIGRATIONS = join(DESIGN, 'migrations');
const WRONG_PASSWORD = 'wr0ng-PW-s3cr3t-abc';
const FORM_NAMES = ['user info', '?password=', 'PGPASSWORD', 'encoded user info', 'encoded ?password=', 'wrong password', 'unreachable port', 'malformed URL'];

let t: Target;

interface Form {
  readonly name: string;
  readonly url: string;
  readonly env: Record<string, string>;
  readonly secrets: string[];
  readonly reachable: boolean;
  /** Only these commands (these forms differ from the others in URL parsing alone). */
  readonly only?: readonly string[];
}

const ENCODED_ONLY = ['prove text', 'prove json', 'check --prove sarif', 'migrations --trace json'];

function forms(): Form[] {
  const tcp = (role: string, port = t.cluster.port) => `postgresql://${role}@127.0.0.1:${port}/appdb`;
  const withUserinfo = (role: string, pw: string, port?: number) => tcp(role, port).replace(`//${role}@`, `//${role}:${encodeURIComponent(pw)}@`);
  const secretsOf = (pw: string) => [...new Set([pw, encodeURIComponent(pw), encodeURIComponent(pw).replace(/%20/g, '+')])];
  return [
    { name: 'user info', url: withUserinfo('maker', MAKER_PASSWORD), env: {}, secrets: secretsOf(MAKER_PASSWORD), reachable: true },
    { name: '?password=', url: `${tcp('maker')}?password=${MAKER_PASSWORD}`, env: {}, secrets: secretsOf(MAKER_PASSWORD), reachable: true },
    { name: 'PGPASSWORD', url: tcp('maker'), env: { PGPASSWORD: MAKER_PASSWORD }, secrets: secretsOf(MAKER_PASSWORD), reachable: true },
    { name: 'encoded user info', url: withUserinfo(ENCODED_ROLE, ENCODED_PASSWORD), env: {}, secrets: secretsOf(ENCODED_PASSWORD), reachable: true, only: ENCODED_ONLY },
    { name: 'encoded ?password=', url: `${tcp(ENCODED_ROLE)}?password=${encodeURIComponent(ENCODED_PASSWORD)}`, env: {}, secrets: secretsOf(ENCODED_PASSWORD), reachable: true, only: ENCODED_ONLY },
    { name: 'wrong password', url: withUserinfo('maker', WRONG_PASSWORD), env: { PGPASSWORD: MAKER_PASSWORD }, secrets: [...secretsOf(WRONG_PASSWORD), MAKER_PASSWORD], reachable: false },
    { name: 'unreachable port', url: withUserinfo('maker', MAKER_PASSWORD, 1), env: {}, secrets: secretsOf(MAKER_PASSWORD), reachable: false },
    { name: 'malformed URL', url: withUserinfo('maker', MAKER_PASSWORD).replace(`:${t.cluster.port}/`, ':notaport/'), env: {}, secrets: secretsOf(MAKER_PASSWORD), reachable: false, only: ENCODED_ONLY },
  ];
}

/** Every command that takes a URL, with where its output lands (stdout, or the --out file). */
function commands(url: string, out: string): { name: string; args: string[]; file?: string }[] {
  const p = ['--database-url', url, '--scale', '10'];
  return [
    { name: 'prove text', args: ['prove', DESIGN, ...p] },
    { name: 'prove json', args: ['prove', DESIGN, ...p, '--format', 'json'] },
    { name: 'check --prove text', args: ['check', DESIGN, '--prove', ...p] },
    { name: 'check --prove json', args: ['check', DESIGN, '--prove', ...p, '--format', 'json'] },
    { name: 'check --prove sarif', args: ['check', DESIGN, '--prove', ...p, '--format', 'sarif'] },
    { name: 'render --prove markdown', args: ['render', DESIGN, '--prove', ...p, '--format', 'markdown', '--out', `${out}.md`], file: `${out}.md` },
    { name: 'render --prove html', args: ['render', DESIGN, '--prove', ...p, '--format', 'html', '--out', `${out}.html`], file: `${out}.html` },
    { name: 'migrations --trace text', args: ['migrations', '--trace', '--trace-rows', '20', '--database-url', url, MIGRATIONS] },
    { name: 'migrations --trace json', args: ['migrations', '--trace', '--trace-rows', '20', '--database-url', url, '--format', 'json', MIGRATIONS] },
    { name: 'migrations --trace sarif', args: ['migrations', '--trace', '--trace-rows', '20', '--database-url', url, '--format', 'sarif', MIGRATIONS] },
    { name: 'cleanup', args: ['cleanup', '--database-url', url] },
  ];
}

function leaks(where: string, text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => text.includes(s)).map((s) => `${where}: prints ${JSON.stringify(s)}`);
}

/** Runs at most `n` at once (two cores; each run is its own throwaway database). */
async function pool<T, R>(items: readonly T[], n: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) { const i = next++; out[i] = await f(items[i]!); }
  }));
  return out;
}

async function mcpClient(env: Record<string, string>, flags: string[]): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [join(ROOT, 'bin/schemaproof.js'), 'mcp', ...flags], env, cwd: ROOT, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const client = new Client({ name: 'schemaproof-safety', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

async function mcpCalls(form: Form): Promise<{ text: string; stderr: string }> {
  const { client, stderr } = await mcpClient(cleanEnv(form.env) as Record<string, string>, ['--allow-database-url']);
  try {
    const prove = await client.callTool({ name: 'prove', arguments: { path: DESIGN, database_url: form.url, scale: 10 } }, undefined, { timeout: 180_000 });
    const migrations = await client.callTool({ name: 'migrations', arguments: { paths: [MIGRATIONS], trace: true, trace_rows: 20, database_url: form.url } }, undefined, { timeout: 180_000 });
    return { text: JSON.stringify([prove, migrations]), stderr: stderr() };
  } finally {
    await client.close();
  }
}

describe('a database password never reaches any output', () => {
  before(async () => { t = await Target.start(); });
  after(async () => { await t?.stop(); });

  it('the MCP server without --allow-database-url refuses a database_url and runs nothing', async () => {
    const url = `postgresql://maker:${MAKER_PASSWORD}@127.0.0.1:${t.cluster.port}/appdb`;
    const offset = t.logOffset();
    const { client, stderr } = await mcpClient(cleanEnv() as Record<string, string>, []);
    try {
      const prove = await client.callTool({ name: 'prove', arguments: { path: DESIGN, database_url: url, scale: 10 } }, undefined, { timeout: 180_000 });
      const migrations = await client.callTool({ name: 'migrations', arguments: { paths: [MIGRATIONS], trace: true, database_url: url } }, undefined, { timeout: 180_000 });
      assert.equal(prove.isError, true, JSON.stringify(prove));
      assert.equal(migrations.isError, true, JSON.stringify(migrations));
      assert.deepEqual(leaks('mcp', JSON.stringify([prove, migrations]) + stderr(), [MAKER_PASSWORD]), []);
    } finally {
      await client.close();
    }
    assert.deepEqual(t.logSince(offset).filter((e) => e.user === 'maker').map((e) => e.text), [], 'no session as maker');
    assert.deepEqual(await t.problemsAfter('mcp without --allow-database-url'), []);
  });

  for (const name of FORM_NAMES) {
    it(`${name}: no command prints it, in any format`, async () => {
      const form = forms().find((f) => f.name === name)!;
      const dir = tempDir('sp-secrets-');
      const cmds = commands(form.url, join(dir, 'doc')).filter((c) => !form.only || form.only.includes(c.name));
      const runs: CliRun[] = await pool(cmds, 2, (c) => runCli(c.args, { env: cleanEnv(form.env), timeoutMs: 180_000 }));
      const problems: string[] = [];
      runs.forEach((r, i) => {
        const c = cmds[i]!;
        problems.push(...leaks(`${c.name} stdout`, r.stdout, form.secrets), ...leaks(`${c.name} stderr`, r.stderr, form.secrets));
        if (c.file && r.code === 0) problems.push(...leaks(`${c.name} ${c.file}`, readFileSync(c.file, 'utf8'), form.secrets));
        if (stackLines(r.stderr).length) problems.push(`${c.name}: a stack trace on stderr`);
        if (form.reachable && r.code !== 0 && r.code !== 1) problems.push(`${c.name}: exit ${r.code ?? r.signal} with a password that works: ${r.stderr.slice(0, 300)}`);
        if (!form.reachable && r.code !== 2) problems.push(`${c.name}: exit ${r.code ?? r.signal}, expected 2 when the server refuses or is not there`);
        if (!form.reachable && !/connect|password|authentication/i.test(r.stderr)) problems.push(`${c.name}: the error does not say the connection failed: ${r.stderr.slice(0, 300)}`);
      });
      const proveJson = runs[cmds.findIndex((c) => c.name === 'prove json')]!;
      if (form.reachable) assert.match(proveJson.stdout, /"engine": "server"/, `the password must have been accepted (else this test proves nothing): ${proveJson.stderr}`);
      const mcp = await mcpCalls(form);
      problems.push(...leaks('mcp prove/migrations result', mcp.text, form.secrets), ...leaks('mcp stderr', mcp.stderr, form.secrets));
      problems.push(...await t.problemsAfter(name));
      assert.deepEqual(problems, []);
    });
  }
});
