/** The MCP server over stdio, driven by the official SDK client as an agent would. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ROOT } from './helpers.js';

describe('schemaproof mcp', () => {
  it('lists its tools with input schemas and runs check through the same API', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [join(ROOT, 'bin/schemaproof.js'), 'mcp'], cwd: ROOT, stderr: 'pipe' });
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name).sort();
      assert.deepEqual(names, ['check', 'migrations', 'plan', 'prove', 'rules']);
      const checkTool = tools.find((t) => t.name === 'check')!;
      assert.equal(checkTool.inputSchema.type, 'object');
      assert.ok(checkTool.inputSchema.properties && 'path' in checkTool.inputSchema.properties);

      const flawed = await client.callTool({ name: 'check', arguments: { path: 'test/fixtures/flawed' } });
      const report = JSON.parse((flawed.content as { text: string }[])[0]!.text);
      assert.equal(report.version, 1);
      assert.ok(report.findings.some((f: { rule: string }) => f.rule === 'prefer-numeric-for-money'));

      const clean = await client.callTool({ name: 'check', arguments: { path: 'examples/case-assignment' } });
      assert.deepEqual(JSON.parse((clean.content as { text: string }[])[0]!.text).findings, []);

      const proof = await client.callTool({ name: 'prove', arguments: { path: 'test/fixtures/refuted', scale: 500 } }, undefined, { timeout: 120_000 });
      const pj = JSON.parse((proof.content as { text: string }[])[0]!.text);
      assert.equal(pj.version, 1);
      assert.ok(pj.claims.some((c: { kind: string; status: string }) => c.kind === 'invariant' && c.status === 'refuted'));

      const lint = await client.callTool({ name: 'migrations', arguments: { paths: ['test/fixtures/plan/old.sql'], trace: true, trace_rows: 20 } }, undefined, { timeout: 120_000 });
      const lj = JSON.parse((lint.content as { text: string }[])[0]!.text);
      assert.ok(lj.findings.some((f: { rule: string }) => f.rule === 'prefer-robust-stmts'));
      const traced = lj.trace.statements.find((x: { line: number }) => x.line === 13);
      assert.deepEqual(traced.locks, [{ relation: 'orders', mode: 'ShareLock' }], 'CREATE INDEX takes SHARE on orders');

      // The same schemaproof.yaml as the CLI: here named, turning an opt-in rule on.
      const withConfig = await client.callTool({ name: 'migrations', arguments: { paths: ['test/fixtures/plan/old.sql'], config: 'test/fixtures/config/opt-in.yaml' } });
      assert.ok(JSON.parse((withConfig.content as { text: string }[])[0]!.text).findings.some((f: { rule: string }) => f.rule === 'require-table-schema'));
      assert.ok(!lj.findings.some((f: { rule: string }) => f.rule === 'require-table-schema'), 'off without it');
      const badConfig = await client.callTool({ name: 'migrations', arguments: { paths: ['test/fixtures/plan/old.sql'], config: 'test/fixtures/config/bad-value.yaml' } });
      assert.equal(badConfig.isError, true);
      assert.match((badConfig.content as { text: string }[])[0]!.text, /^config: test\/fixtures\/config\/bad-value\.yaml:2:\d+ \/migrations\/pg_version/);

      const plan = await client.callTool({ name: 'plan', arguments: { old: 'test/fixtures/plan/old.sql', new: 'test/fixtures/plan/new.sql' } });
      const pl = JSON.parse((plan.content as { text: string }[])[0]!.text);
      assert.deepEqual(pl.files.map((f: { name: string }) => f.name), ['00_expand_types.sql', '01_expand.sql', '02_expand_indexes.sql', '03_backfill.sql', '04_validate.sql', '05_contract.sql']);
      assert.ok(pl.steps.some((x: { phase: string; action: string }) => x.phase === 'switch' && /full_name instead of name/.test(x.action)));

      const bad = await client.callTool({ name: 'check', arguments: { path: 'does/not/exist' } });
      assert.equal(bad.isError, true);
      assert.match((bad.content as { text: string }[])[0]!.text, /no such file or folder/);
    } finally {
      await client.close();
    }
  });
});
