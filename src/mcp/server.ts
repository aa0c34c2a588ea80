/** MCP server over stdio: tools that call the same library API as the CLI. */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { check, checkPath, lintMigrations, planMigration, prove, RULES, toJsonReport, toProofJson, traceMigrations, VERSION } from '../index.js';
import { migrationsConfig } from '../config/find.js';

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
  server.registerTool('migrations', {
    title: 'Lint migrations for locks, rewrites and downtime',
    description: 'Lint migration files or folders in order, each against the schema the earlier ones built: which lock each statement takes on which table, what it blocks, whether it rewrites the table, and the safe rewrite. Rule ids follow squawk where the hazard is the same. With trace, the migrations are also applied on a throwaway PGlite (or a server by URL, in a throwaway database) with generated rows, and the locks and rewrites PostgreSQL really took are returned per statement. Returns JSON (version 1): findings, summary, and trace when asked.',
    inputSchema: {
      paths: z.array(z.string()).min(1).describe('Migration files or folders, in apply order.'),
      pg_version: z.number().int().min(9).max(30).optional().describe('Target PostgreSQL major version (default 15).'),
      assume_in_transaction: z.boolean().optional().describe('Each file runs inside a transaction its tool opens.'),
      trace: z.boolean().optional().describe('Also apply them and observe real locks and rewrites.'),
      trace_rows: z.number().int().min(1).optional().describe('Generated rows per table for trace (default 1000).'),
      database_url: z.string().optional().describe('Trace on this PostgreSQL server, in a throwaway database.'),
      config: z.string().optional().describe('schemaproof.yaml to use (default: found from the first path up): rule settings, migrations.pg_version and assume_in_transaction.'),
    },
  }, async ({ paths, pg_version, assume_in_transaction, trace, trace_rows, database_url, config }) => {
    const settings = await migrationsConfig({ paths, configFile: config, pgVersion: pg_version, assumeInTransaction: assume_in_transaction, knownRules: new Set(RULES.map((r) => r.id)) });
    if (!settings.ok) return { isError: true, content: [{ type: 'text' as const, text: settings.problems.map((p) => `${p.loc.file}:${p.loc.line}:${p.loc.column} ${p.message}`).join('\n') }] };
    const result = await lintMigrations(RULES, { paths, config: settings.rules, pgVersion: settings.pgVersion, assumeInTransaction: settings.assumeInTransaction });
    if (!result.ok) return { isError: true, content: [{ type: 'text' as const, text: result.message }] };
    const report: Record<string, unknown> = { ...toJsonReport(result.findings, result.summary) };
    if (trace) {
      const t = await traceMigrations({ paths, rows: trace_rows, databaseUrl: database_url });
      if (!t.ok) return { isError: true, content: [{ type: 'text' as const, text: t.message }] };
      report.trace = { isolation: t.isolation, statements: t.statements };
    }
    return { content: [{ type: 'text' as const, text: JSON.stringify(report) }] };
  });
  server.registerTool('plan', {
    title: 'Plan a zero-downtime migration between two schemas',
    description: 'Diff two schemas (SQL files, migration folders or design folders) and return the phased migration: expand, backfill in batches, validate, switch (an application step), contract; each step with its rollback, the SQL files in apply order, and a Markdown plan with a compatibility matrix. Nothing is written or run.',
    inputSchema: {
      old: z.string().describe('The current schema: a SQL file, a migrations folder or a design folder.'),
      new: z.string().describe('The wanted schema, in the same forms.'),
      chunk_size: z.number().int().min(1).optional().describe('Rows per backfill batch (default 5000).'),
    },
  }, async (args) => {
    const [a, b] = await Promise.all([checkPath(args.old), checkPath(args.new)]);
    if (!a.ok) return { isError: true, content: [{ type: 'text' as const, text: a.message }] };
    if (!b.ok) return { isError: true, content: [{ type: 'text' as const, text: b.message }] };
    const p = planMigration(a.catalog, b.catalog, { chunkSize: args.chunk_size });
    return { content: [{ type: 'text' as const, text: JSON.stringify({ version: 1, steps: p.steps, files: p.files, markdown: p.markdown }) }] };
  });
  server.registerTool('rules', {
    title: 'List review rules',
    description: 'Every rule schemaproof applies: id, severity, category, description.',
    inputSchema: {},
  }, async () => ({
    content: [{ type: 'text' as const, text: JSON.stringify(RULES.map((r) => ({ id: r.id, severity: r.meta.severity, ...(r.meta.optIn ? { optIn: true } : {}), category: r.meta.category, description: r.meta.description }))) }],
  }));
  return server;
}

export async function startMcpServer(): Promise<void> {
  const server = createMcpServer();
  await server.connect(new StdioServerTransport());
}
