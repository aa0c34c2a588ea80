/**
 * MCP server over stdio: tools that call the same library API as the CLI, made safe to hand
 * to an agent. Every path argument is confined to one root folder (inputs.ts), proofs and
 * traces run on a worker thread one at a time with bounded sizes (proof-queue.ts), a database
 * URL is refused unless the operator allowed it, and every error is one redacted line.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { VERSION } from '../index.js';
import { registerUrlSecrets } from '../secrets.js';
import { ProofQueue } from './proof-queue.js';
import { fail, oneLine } from './results.js';
import { realRoot } from './root.js';
import { registerCheck, registerMigrations, registerPlan, registerProve, registerRules } from './tools.js';

export { MAX_SCALE, MAX_TRACE_ROWS } from './tools.js';

export interface McpServerOptions {
  /** The folder every path argument must stay inside (default: the working folder). */
  readonly root?: string;
  /** Accept `database_url` (prove, migrations trace); off by default, so nothing is connected. */
  readonly allowDatabaseUrl?: boolean;
}

const DATABASE_URL_OFF = 'database_url is off on this server: start it with `schemaproof mcp --allow-database-url` to prove or trace on a PostgreSQL server (nothing was connected)';

export function createMcpServer(options: McpServerOptions = {}): McpServer {
  const server = new McpServer({ name: 'schemaproof', version: VERSION });
  const queue = new ProofQueue();
  server.server.onclose = () => queue.close();
  /** Refuses `database_url` unless allowed; registers its secrets either way, so no message repeats them. */
  const urlRefused = (url: string | undefined): CallToolResult | undefined => {
    if (url === undefined) return undefined;
    registerUrlSecrets(url);
    return options.allowDatabaseUrl ? undefined : fail(DATABASE_URL_OFF);
  };
  const context = { server, root: realRoot(options.root ?? process.cwd()), queue, urlRefused };
  for (const register of [registerCheck, registerProve, registerMigrations, registerPlan, registerRules]) register(context);
  return server;
}
/**
 * The transport with every error result it carries made one redacted line: also those the SDK
 * writes itself (arguments that fail their schema list one issue per line; an unknown tool).
 */
export function oneLineErrors<T extends Transport>(transport: T): T {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    const result = (message as { result?: { isError?: boolean; content?: { type: string; text?: string }[] } }).result;
    if (result?.isError && Array.isArray(result.content)) {
      result.content = result.content.map((c) => (c.type === 'text' && typeof c.text === 'string' ? { ...c, text: oneLine(c.text) } : c));
    }
    return send(message, options);
  };
  return transport;
}

export async function startMcpServer(options: McpServerOptions = {}): Promise<void> {
  const server = createMcpServer(options);
  await server.connect(oneLineErrors(new StdioServerTransport()));
}
