/** The MCP tools, one function each, over the library API; paths confined by inputs.ts. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { relative } from 'node:path';
import { z } from 'zod';
import { check, checkPath, DEFAULT_SCALE, lintMigrations, planMigration, RULES, toJsonReport } from '../index.js';
import { migrationsConfig } from '../config/find.js';
import { redactDeep } from '../secrets.js';
import { configFile, design, migrationPath, migrationsFolder, planSide, sqlFile } from './inputs.js';
import type { ProofQueue } from './proof-queue.js';
import { confine, fail, guarded, json, proofResult } from './results.js';

/** Rows of the largest table a proof may ask for (10,000 is the default): 0.9 GB peak and ~5 min on PGlite, measured by bench/mcp.ts. */
export const MAX_SCALE = 200_000;
/** Rows per table a trace may fill (1,000 is the default): 10,000 took 80 s and 0.55 GB for five tables, the fill grows faster than linearly. */
export const MAX_TRACE_ROWS = 10_000;

export interface ToolContext {
  readonly server: McpServer;
  /** The real path of the folder every path argument must stay inside. */
  readonly root: string;
  readonly queue: ProofQueue;
  /** An error result when `database_url` is given but not allowed. */
  readonly urlRefused: (url: string | undefined) => CallToolResult | undefined;
}

export function registerCheck({ server, root }: ToolContext): void {
  server.registerTool('check', {
    title: 'Review a database design',
    description: 'Review a design folder (design.yaml + SQL schema or migrations) like a senior database architect, or a bare schema file or migrations folder. Paths are relative to the folder the server serves and must stay inside it. Returns findings as JSON (version 1): rule, severity, message, file, line, column, object.',
    inputSchema: {
      path: z.string().optional().describe('Design folder or design file (default: the served folder).'),
      schema: z.string().optional().describe('A SQL schema file to check without a design.'),
      migrations: z.string().optional().describe('A migrations folder to check without a design.'),
    },
  }, guarded(async ({ path, schema, migrations }) => {
    const useDesign = path !== undefined || (schema === undefined && migrations === undefined);
    const c = confine([
      useDesign ? design(root, 'path', path ?? '.') : undefined,
      schema === undefined ? undefined : sqlFile(root, 'schema', schema),
      migrations === undefined ? undefined : migrationsFolder(root, 'migrations', migrations),
    ]);
    if (!c.ok) return c.result;
    const [target, schemaFile, migrationsDir] = c.paths;
    const result = await check({ target, schema: schemaFile, migrations: migrationsDir, cwd: root });
    if (!result.ok) return fail(result.message);
    return json(toJsonReport(result.findings, result.summary));
  }));
}

export function registerProve({ server, root, queue, urlRefused }: ToolContext): void {
  server.registerTool('prove', {
    title: 'Prove a design on PostgreSQL',
    description: `Apply the schema to a throwaway PostgreSQL (embedded PGlite by default, or a server by URL where a throwaway database is created and dropped), fill it with generated data, and test each claim: invariants rejected, access patterns served by their declared index, tenants isolated by row-level security. Proofs run one at a time, off the server's main thread. Returns JSON (version 1): claims with status proven, refuted or unproven and their evidence.`,
    inputSchema: {
      path: z.string().optional().describe('Design folder or design file (default: the served folder).'),
      database_url: z.string().optional().describe('A PostgreSQL URL; nothing existing is touched. Refused unless the server was started with --allow-database-url.'),
      seed: z.string().max(200).optional().describe('Seed of the generated data.'),
      scale: z.number().int().min(10).max(MAX_SCALE).optional().describe(`Rows of the largest table (default ${DEFAULT_SCALE}, at most ${MAX_SCALE}).`),
    },
  }, guarded(async ({ path, database_url, seed, scale }, signal) => {
    const refused = urlRefused(database_url);
    if (refused) return refused;
    const c = confine([design(root, 'path', path ?? '.')]);
    if (!c.ok) return c.result;
    return proofResult(await queue.run({ kind: 'prove', target: c.paths[0], databaseUrl: database_url, seed, scale, cwd: root }, signal));
  }));
}

export function registerMigrations({ server, root, queue, urlRefused }: ToolContext): void {
  server.registerTool('migrations', {
    title: 'Lint migrations for locks, rewrites and downtime',
    description: 'Lint migration files or folders in order, each against the schema the earlier ones built: which lock each statement takes on which table, what it blocks, whether it rewrites the table, and the safe rewrite. Rule ids follow squawk where the hazard is the same. With trace, the migrations are also applied on a throwaway PGlite (or a server by URL, in a throwaway database) with generated rows, and the locks and rewrites PostgreSQL really took are returned per statement. Returns JSON (version 1): findings, summary, and trace when asked.',
    inputSchema: {
      paths: z.array(z.string()).min(1).max(10_000).describe('Migration files or folders, in apply order, inside the served folder.'),
      pg_version: z.number().int().min(9).max(30).optional().describe('Target PostgreSQL major version (default 15).'),
      assume_in_transaction: z.boolean().optional().describe('Each file runs inside a transaction its tool opens.'),
      trace: z.boolean().optional().describe('Also apply them and observe real locks and rewrites.'),
      trace_rows: z.number().int().min(1).max(MAX_TRACE_ROWS).optional().describe(`Generated rows per table for trace (default 1000, at most ${MAX_TRACE_ROWS}).`),
      database_url: z.string().optional().describe('Trace on this PostgreSQL server, in a throwaway database. Refused unless the server was started with --allow-database-url.'),
      config: z.string().optional().describe('schemaproof.yaml to use (default: found from the first path up): rule settings, migrations.pg_version and assume_in_transaction.'),
    },
  }, guarded(async ({ paths, pg_version, assume_in_transaction, trace, trace_rows, database_url, config }, signal) => {
    const refused = urlRefused(database_url);
    if (refused) return refused;
    const c = confine([...paths.map((p, i) => migrationPath(root, `paths[${i}]`, p)), ...(config === undefined ? [] : [configFile(root, 'config', config)])]);
    if (!c.ok) return c.result;
    const real = c.paths.slice(0, paths.length) as string[];
    const settings = await migrationsConfig({ paths: real, configFile: config === undefined ? undefined : c.paths.at(-1), pgVersion: pg_version, assumeInTransaction: assume_in_transaction, knownRules: new Set(RULES.map((r) => r.id)), cwd: root });
    if (!settings.ok) return fail(settings.problems.map((p) => `${config === undefined ? '' : 'config: '}${relative(root, p.loc.file) || p.loc.file}:${p.loc.line}:${p.loc.column} ${p.message}`).join('\n'));
    const result = await lintMigrations(RULES, { paths: real, cwd: root, config: settings.rules, pgVersion: settings.pgVersion, assumeInTransaction: settings.assumeInTransaction });
    if (!result.ok) return fail(result.message);
    const report: Record<string, unknown> = { ...toJsonReport(result.findings, result.summary) };
    if (trace) {
      const t = await queue.run({ kind: 'trace', paths: real, rows: trace_rows, databaseUrl: database_url, cwd: root }, signal);
      if (!t.ok) return fail(t.message);
      report.trace = JSON.parse(t.json);
    }
    return json(redactDeep(report));
  }));
}

export function registerPlan({ server, root }: ToolContext): void {
  server.registerTool('plan', {
    title: 'Plan a zero-downtime migration between two schemas',
    description: 'Diff two schemas (SQL files, migration folders or design folders, inside the served folder) and return the phased migration: expand, backfill in batches, validate, switch (an application step), contract; each step with its rollback, the SQL files in apply order, and a Markdown plan with a compatibility matrix. Nothing is written or run.',
    inputSchema: {
      old: z.string().describe('The current schema: a SQL file, a migrations folder or a design folder.'),
      new: z.string().describe('The wanted schema, in the same forms.'),
      chunk_size: z.number().int().min(1).optional().describe('Rows per backfill batch (default 5000).'),
    },
  }, guarded(async (args) => {
    const c = confine([planSide(root, 'old', args.old), planSide(root, 'new', args.new)]);
    if (!c.ok) return c.result;
    const [a, b] = await Promise.all([checkPath(c.paths[0]!, root), checkPath(c.paths[1]!, root)]);
    if (!a.ok) return fail(`old: ${a.message}`);
    if (!b.ok) return fail(`new: ${b.message}`);
    const p = planMigration(a.catalog, b.catalog, { chunkSize: args.chunk_size });
    return json({ version: 1, steps: p.steps, files: p.files, markdown: p.markdown });
  }));
}

export function registerRules({ server }: ToolContext): void {
  server.registerTool('rules', {
    title: 'List review rules',
    description: 'Every rule schemaproof applies: id, severity, category, description.',
    inputSchema: {},
  }, guarded(async () => json(RULES.map((r) => ({ id: r.id, severity: r.meta.severity, ...(r.meta.optIn ? { optIn: true } : {}), category: r.meta.category, description: r.meta.description })))));
}
