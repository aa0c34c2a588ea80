/**
 * The MCP server as an agent's tool: paths stay inside the served folder, other files are
 * never quoted, sizes are bounded, proofs leave the server responsive, database URLs are off
 * unless allowed, and errors are one redacted line. Driven by the SDK client over stdio.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ROOT, tempDir, writeTree } from './helpers.js';

type Result = { isError?: boolean; content: { type: string; text: string }[] };

async function connect(args: string[], cwd = ROOT): Promise<Client> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [join(ROOT, 'bin/schemaproof.js'), 'mcp', ...args], cwd, stderr: 'pipe' });
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Result> {
  return await client.callTool({ name, arguments: args }, undefined, { timeout: 300_000 }) as Result;
}

const text = (r: Result): string => r.content.map((c) => c.text).join('\n');

/** A secret outside the served folder, and lines of a password file inside it. */
const SECRET = 'TOPSECRET-do-not-echo';
const PASSWD = `root:x:0:0:${SECRET}:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\napi_token: ${SECRET}\n`;

describe('schemaproof mcp confines every path to its root', () => {
  const outside = writeTree({ 'secret.sql': `-- ${SECRET}\nCREATE TABLE leak (id int);\n`, 'schemaproof.yaml': `rules:\n  ${SECRET}: off\n`, 'm/001.sql': 'CREATE TABLE t (id int);\n' });
  const root = tempDir();
  let client: Client;
  before(async () => {
    cpSync(join(ROOT, 'test/fixtures'), join(root, 'fixtures'), { recursive: true });
    writeFileSync(join(root, 'passwd'), PASSWD);
    writeFileSync(join(root, 'design.yaml'), PASSWD);
    writeFileSync(join(root, 'binary.sql'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    symlinkSync(join(outside, 'secret.sql'), join(root, 'link.sql'));
    symlinkSync(outside, join(root, 'linked-folder'));
    mkdirSync(join(root, 'mig'));
    writeFileSync(join(root, 'mig/001.sql'), 'CREATE TABLE a (id int PRIMARY KEY);\n');
    symlinkSync(join(outside, 'secret.sql'), join(root, 'mig/002.sql'));
    // Reading a named pipe waits for a writer: a config naming one would hang the server.
    execFileSync('mkfifo', [join(root, 'pipe.yaml')]);
    mkdirSync(join(root, 'escaping-design'));
    writeFileSync(join(root, 'escaping-design/design.yaml'), `design: x\nkind: new-table\nschema: ${join(outside, 'secret.sql')}\n`);
    // Served with --root from another working folder: relative paths are the root's.
    client = await connect(['--root', root], ROOT);
  });
  after(async () => { await client.close(); });

  it('refuses paths out of the root by every argument, naming it, without reading the file', async () => {
    const refusals: [string, Record<string, unknown>, string][] = [
      ['check', { path: outside }, 'path'],
      ['check', { path: '../' }, 'path'],
      ['check', { schema: join(outside, 'secret.sql') }, 'schema'],
      ['check', { schema: 'link.sql' }, 'schema'],
      ['check', { migrations: 'linked-folder/m' }, 'migrations'],
      ['check', { migrations: 'mig' }, 'migrations'],
      ['check', { path: 'escaping-design' }, 'path (its schema:)'],
      ['prove', { path: 'fixtures/../../' }, 'path'],
      ['migrations', { paths: ['fixtures/plan/old.sql', 'link.sql'] }, 'paths[1]'],
      ['migrations', { paths: ['fixtures/plan/old.sql'], config: '/etc/shadow' }, 'config'],
      ['migrations', { paths: ['fixtures/plan/old.sql'], config: join(outside, 'schemaproof.yaml') }, 'config'],
      ['plan', { old: 'fixtures/plan/old.sql', new: join(outside, 'm') }, 'new'],
      ['plan', { old: 'linked-folder/secret.sql', new: 'fixtures/plan/new.sql' }, 'old'],
      ['migrations', { paths: ['fixtures/plan/old.sql'], config: 'pipe.yaml' }, 'config'],
    ];
    for (const [tool, args, arg] of refusals) {
      const r = await call(client, tool, args);
      assert.equal(r.isError, true, `${tool} ${JSON.stringify(args)}`);
      assert.ok(text(r).startsWith(`${arg}: `), `${tool} names ${arg}: ${text(r)}`);
      assert.ok(!text(r).includes(SECRET) && !text(r).includes('\n'), text(r));
    }
    // A path outside answers alike whether or not it exists.
    const missing = await call(client, 'check', { schema: join(outside, 'nothing-here.sql') });
    const present = await call(client, 'check', { schema: join(outside, 'secret.sql') });
    assert.equal(text(missing).replace('nothing-here', 'secret'), text(present));
    // Inside the root, relative to it (not to the server's working folder), tools work.
    const plan = await call(client, 'plan', { old: 'fixtures/plan/old.sql', new: 'fixtures/plan/new.sql' });
    assert.equal(plan.isError, undefined, text(plan));
    const lint = JSON.parse(text(await call(client, 'migrations', { paths: ['fixtures/plan/old.sql'] })));
    assert.ok(lint.findings.some((f: { file: string }) => f.file === 'fixtures/plan/old.sql'));
  });

  it('never quotes a file that is not what the argument names', async () => {
    const asConfig = await call(client, 'migrations', { paths: ['fixtures/plan/old.sql'], config: 'passwd' });
    assert.equal(asConfig.isError, true);
    assert.match(text(asConfig), /^config: passwd:1:1 passwd is not a schemaproof\.yaml/);
    assert.ok(!/root:x|daemon|api_token|TOPSECRET/.test(text(asConfig)), text(asConfig));
    const binaryConfig = await call(client, 'migrations', { paths: ['fixtures/plan/old.sql'], config: 'binary.sql' });
    assert.match(text(binaryConfig), /binary\.sql is not a schemaproof\.yaml/);
    // The root's own design.yaml holds the password file's lines: check and prove refuse it.
    for (const tool of ['check', 'prove']) {
      const r = await call(client, tool, {});
      assert.equal(r.isError, true);
      assert.match(text(r), /^path: \. is not a design file/);
      assert.ok(!/root:x|daemon|api_token|TOPSECRET/.test(text(r)), text(r));
    }
    const planned = await call(client, 'plan', { old: 'design.yaml', new: 'fixtures/plan/new.sql' });
    assert.match(text(planned), /^old: design\.yaml is not a design file/);
    const binary = await call(client, 'check', { schema: 'binary.sql' });
    assert.match(text(binary), /^schema: binary\.sql is not a SQL file/);
    // A real design still reviews, and a real config with a mistake still says where.
    const flawed = JSON.parse(text(await call(client, 'check', { path: 'fixtures/flawed' })));
    assert.ok(flawed.findings.some((f: { rule: string }) => f.rule === 'prefer-numeric-for-money'));
    const typo = await call(client, 'migrations', { paths: ['fixtures/plan/old.sql'], config: 'fixtures/config/bad-value.yaml' });
    assert.match(text(typo), /^config: fixtures\/config\/bad-value\.yaml:2:\d+ \/migrations\/pg_version/);
  });
});

describe('schemaproof mcp arguments', () => {
  it('takes --root DIR and --allow-database-url, and nothing else', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/schemaproof.js'), 'mcp', ...args], { cwd: ROOT, encoding: 'utf8', input: '' });
    const missing = run('--root', join(ROOT, 'no-such-folder'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--root .*no-such-folder is not a folder/);
    assert.equal(run('--root', join(ROOT, 'package.json')).status, 2);
    assert.equal(run('--allow-everything').status, 2);
    // With stdin closed at once, a well-formed server starts and ends cleanly.
    assert.equal(run('--root', ROOT, '--allow-database-url').status, 0);
  });
});

describe('schemaproof mcp bounds its work and its errors', () => {
  let client: Client;
  before(async () => { client = await connect([]); });
  after(async () => { await client.close(); });

  it('publishes and enforces the bounds of scale and trace_rows, in one line', async () => {
    const { tools } = await client.listTools();
    const scale = (tools.find((t) => t.name === 'prove')!.inputSchema.properties as Record<string, { maximum?: number; description?: string }>).scale!;
    assert.equal(scale.maximum, 200_000);
    assert.match(scale.description!, /at most 200000/);
    const rows = (tools.find((t) => t.name === 'migrations')!.inputSchema.properties as Record<string, { maximum?: number }>).trace_rows!;
    assert.equal(rows.maximum, 10_000);
    const big = await call(client, 'prove', { path: 'examples/case-assignment', scale: 3_000_000 });
    assert.equal(big.isError, true);
    assert.match(text(big), /less than or equal to 200000 at scale/);
    const many = await call(client, 'migrations', { paths: ['test/fixtures/plan/old.sql'], trace: true, trace_rows: 10_001 });
    assert.equal(many.isError, true);
    assert.match(text(many), /less than or equal to 10000 at trace_rows/);
    // Two wrong arguments: the SDK lists one issue per line; the agent gets one line.
    const twoWrong = await call(client, 'prove', { scale: 'many', seed: 5 });
    assert.equal(twoWrong.isError, true);
    assert.match(text(twoWrong), /scale.*seed|seed.*scale/);
    assert.ok(!text(twoWrong).includes('\n'), text(twoWrong));
  });

  it('answers rules while a proof runs, and a cancelled proof leaves the next one working', async () => {
    const t0 = performance.now();
    let provedAt = 0;
    const proving = call(client, 'prove', { path: 'examples/case-assignment', scale: 20_000 }).then((r) => { provedAt = performance.now(); return r; });
    // Ask for the rules every 100 ms while the proof runs: each answer must come at once.
    // (On the server's own thread PGlite holds it for seconds at a time: schema, fills, claims.)
    const latencies: number[] = [];
    while (!provedAt) {
      const t1 = performance.now();
      const rules = JSON.parse(text(await call(client, 'rules', {})));
      if (!provedAt) latencies.push(performance.now() - t1);
      assert.ok(rules.length > 50);
      await new Promise((r) => setTimeout(r, 100));
    }
    const proof = JSON.parse(text(await proving));
    assert.ok(proof.data.some((d: { rows: number }) => d.rows === 20_000));
    const proofMs = provedAt - t0;
    const median = latencies.sort((a, b) => a - b)[latencies.length >> 1]!;
    process.stderr.write(`rules answered ${latencies.length} times while a proof ran ${proofMs.toFixed(0)} ms: median ${median.toFixed(0)} ms, worst ${latencies.at(-1)!.toFixed(0)} ms\n`);
    // Measured on a loaded 2-core machine: ~180 answers in 22 s here, 6 with the proof on the server's thread.
    assert.ok(latencies.length >= proofMs / 1000, `${latencies.length} answers in ${proofMs.toFixed(0)} ms`);
    assert.ok(median < 250, `rules took ${median.toFixed(0)} ms`);

    const abort = new AbortController();
    const cancelled = client.callTool({ name: 'prove', arguments: { path: 'examples/case-assignment', scale: 200_000 } }, undefined, { signal: abort.signal, timeout: 300_000 });
    setTimeout(() => abort.abort(), 1000);
    await assert.rejects(cancelled);
    const t2 = performance.now();
    const next = JSON.parse(text(await call(client, 'prove', { path: 'test/fixtures/refuted', scale: 100 })));
    assert.ok(next.claims.some((c: { status: string }) => c.status === 'refuted'));
    // Had the cancelled 200,000-row proof gone on, this one would have waited for it (minutes).
    assert.ok(performance.now() - t2 < 60_000);
  });
});

describe('schemaproof mcp and database URLs', () => {
  const password = 'pw-hunter2-secret';
  let connections = 0;
  // Answers every connection with an authentication error that repeats the password.
  const fake = net.createServer((s) => {
    connections++;
    s.on('data', () => {
      const body = `SFATAL\0C28P01\0Mpassword authentication failed: wrong password ${password}\0\0`;
      const head = Buffer.alloc(5);
      head.write('E');
      head.writeInt32BE(body.length + 4, 1);
      s.end(Buffer.concat([head, Buffer.from(body)]));
    });
  });
  let url = '';
  before(async () => {
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    url = `postgres://someone:${password}@127.0.0.1:${(fake.address() as net.AddressInfo).port}/db`;
  });
  after(() => { fake.close(); });

  it('refuses database_url unless allowed, connecting to nothing', async () => {
    const client = await connect([]);
    try {
      for (const [tool, args] of [['prove', { path: 'examples/case-assignment', database_url: url }], ['migrations', { paths: ['test/fixtures/plan/old.sql'], trace: true, database_url: url }]] as const) {
        const r = await call(client, tool, args);
        assert.equal(r.isError, true);
        assert.match(text(r), /^database_url is off on this server: start it with `schemaproof mcp --allow-database-url`/);
      }
      assert.equal(connections, 0);
    } finally { await client.close(); }
  });

  it('with --allow-database-url connects, and what the server says comes back redacted', async () => {
    const client = await connect(['--allow-database-url']);
    try {
      const r = await call(client, 'prove', { path: 'examples/case-assignment', database_url: url });
      assert.equal(r.isError, true);
      assert.ok(connections > 0);
      assert.match(text(r), /wrong password \*\*\*/);
      assert.ok(!text(r).includes(password), text(r));
      const t = await call(client, 'migrations', { paths: ['test/fixtures/plan/old.sql'], trace: true, database_url: url });
      assert.match(text(t), /wrong password \*\*\*/);
      assert.ok(!text(t).includes(password) && !text(t).includes('\n'), text(t));
    } finally { await client.close(); }
  });
});
