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
      assert.deepEqual(names, ['check', 'prove', 'rules']);
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

      const bad = await client.callTool({ name: 'check', arguments: { path: 'does/not/exist' } });
      assert.equal(bad.isError, true);
      assert.match((bad.content as { text: string }[])[0]!.text, /no such file or folder/);
    } finally {
      await client.close();
    }
  });
});
