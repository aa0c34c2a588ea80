/** What the MCP tools answer: JSON results, and errors as one line with known secrets removed. */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { redact, redactDeep } from '../secrets.js';
import type { ProofReply } from './proof-worker.js';
import type { Inside } from './root.js';

/** The text of an error result: one line, known secrets removed. */
export function oneLine(text: string): string {
  const line = redact(text).split(/\r?\n/).map((l) => l.trim()).filter(Boolean).join('; ');
  return line.length > 4000 ? `${line.slice(0, 4000)}...` : line;
}

export const fail = (text: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text: oneLine(text) }] });
export const json = (value: unknown): CallToolResult => ({ content: [{ type: 'text', text: JSON.stringify(value) }] });

/** The first refusal among the confined arguments, or their real paths. */
export function confine(checks: (Inside | undefined)[]): { ok: true; paths: (string | undefined)[] } | { ok: false; result: CallToolResult } {
  for (const c of checks) if (c && !c.ok) return { ok: false, result: fail(c.message) };
  return { ok: true, paths: checks.map((c) => (c?.ok ? c.path : undefined)) };
}

/** A bug in a tool: its stack goes to the operator's stderr, one line to the agent. */
export function guarded<A>(handler: (args: A, signal: AbortSignal) => Promise<CallToolResult>): (args: A, extra: { signal: AbortSignal }) => Promise<CallToolResult> {
  return async (args, extra) => {
    try {
      return await handler(args, extra.signal);
    } catch (e) {
      process.stderr.write(redact(`schemaproof mcp: ${e instanceof Error ? e.stack : String(e)}\n`));
      return fail(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}

export function proofResult(reply: ProofReply): CallToolResult {
  return reply.ok ? json(redactDeep(JSON.parse(reply.json))) : fail(reply.message);
}

