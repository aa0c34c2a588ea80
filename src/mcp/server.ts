/** MCP server over stdio: tools that call the same library API as the CLI. */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { check, prove, RULES, toJsonReport, toProofJson, VERSION } from '../index.js';

export function createMcpServer(): McpServer {
  const server = new McpServer({ name: 'schemaproof', version: VERSION });
  server.registerTool('check', {
    title: 'Review a database design',
    description: 'Review a design folder (design.yaml + SQL schema or migrations) like a senior database architect, or a bare schema file or migrations folder. Returns findings as JSON (version 1): rule, severity, message, file, line, column, object.',
    inputSchema: {
      path: z.string().optional().describe('Design folder or design file (default: current folder).'),
      schema: z.string().optional().describe('A SQL schema file to check without a design.'),
      migrations: z.string().optional().describe('A migrations folder to check without a design.'),
    },
  }, async ({ path, schema, migrations }) => {
    const result = await check({ target: path, schema, migrations });
    if (!result.ok) return { isError: true, content: [{ type: 'text' as const, text: result.message }] };
    return { content: [{ type: 'text' as const, text: JSON.stringify(toJsonReport(result.findings, result.summary)) }] };
  });
  server.registerTool('prove', {
    title: 'Prove a design on PostgreSQL',
    description: 'Apply the schema to a throwaway PostgreSQL (embedded PGlite by default, or a server by URL where a throwaway database is created and dropped), fill it with generated data, and test each claim: invariants rejected, access patterns served by their declared index, tenants isolated by row-level security. Returns JSON (version 1): claims with status proven, refuted or unproven and their evidence.',
    inputSchema: {
      path: z.string().optional().describe('Design folder or design file (default: current folder).'),
      database_url: z.string().optional().describe('A PostgreSQL URL; nothing existing is touched.'),
      seed: z.string().optional().describe('Seed of the generated data.'),
      scale: z.number().int().min(10).optional().describe('Rows of the largest table (default 10000).'),
    },
  }, async ({ path, database_url, seed, scale }) => {
    const result = await prove({ target: path, databaseUrl: database_url, seed, scale });
    if (!result.ok) return { isError: true, content: [{ type: 'text' as const, text: result.message }] };
    return { content: [{ type: 'text' as const, text: JSON.stringify(toProofJson(result)) }] };
  });
  server.registerTool('rules', {
    title: 'List review rules',
    description: 'Every rule schemaproof applies: id, severity, category, description.',
    inputSchema: {},
  }, async () => ({
    content: [{ type: 'text' as const, text: JSON.stringify(RULES.map((r) => ({ id: r.id, severity: r.meta.severity, category: r.meta.category, description: r.meta.description }))) }],
  }));
  return server;
}

export async function startMcpServer(): Promise<void> {
  const server = createMcpServer();
  await server.connect(new StdioServerTransport());
}
