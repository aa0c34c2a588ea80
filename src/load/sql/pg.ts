/**
 * The PostgreSQL parser: libpg-query's WASM build of PostgreSQL's own parser, called through
 * the module the package ships, with the same results and errors as the package's `parseSync`
 * and `scanSync`. Only the copying of text in and out differs: the input is encoded straight
 * into WASM memory and the output found with a native byte search and decoded in one call,
 * where the package walks every byte of its ~10x larger JSON output in JavaScript (about a
 * tenth of the time `schemaproof migrations` spends on a big file).
 */
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { dirname, join } from 'node:path';

interface PgQueryModule {
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _free(p: number): void;
  _wasm_parse_query_raw(p: number): number;
  _wasm_free_parse_result(p: number): void;
  _wasm_scan(p: number): number;
  _wasm_parse_plpgsql(p: number): number;
  _wasm_free_string(p: number): void;
  getValue(p: number, type: 'i32'): number;
}

/** A parse error, with the 0-based character position PostgreSQL reports (as libpg-query's SqlError). */
export class SqlError extends Error {
  constructor(message: string, readonly sqlDetails: { message: string; cursorPosition: number; fileName?: string; functionName?: string; lineNumber?: number }) {
    super(message);
    this.name = 'SqlError';
  }
}

export interface ParseResult {
  readonly version?: number;
  readonly stmts?: { stmt: Record<string, unknown>; stmt_location?: number; stmt_len?: number }[];
}

export interface ScanToken {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly tokenType: number;
  readonly tokenName: string;
  readonly keywordKind: number;
  readonly keywordName: string;
}

let wasm: PgQueryModule | undefined;
let ready: Promise<void> | undefined;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Loads the WASM parser once per process. */
export function initParser(): Promise<void> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    const factory = require(join(dirname(require.resolve('libpg-query')), 'libpg-query.js')) as () => Promise<PgQueryModule>;
    wasm = await factory();
  })();
  return ready;
}

/**
 * Below this much SQL, a process parses faster with V8's baseline WASM compiler alone: the
 * optimising compiler's work on the parser's large functions (~0.15-0.2 s of a short run here,
 * paid even at exit) only pays off on more text than this (measured: 100-400 KiB parse 0.2 s
 * faster without it, 2.4 MiB 0.2 s slower).
 */
export const BASELINE_COMPILER_BELOW_BYTES = 1.5 * 1024 * 1024;

/**
 * Runs the parser with V8's baseline WASM compiler only. The setting is process-wide and must
 * come before the parser loads, so it is for short command-line runs that compile no other
 * WASM (no PGlite); it changes speed, never results. False when the parser already loaded.
 */
export function useBaselineCompiler(): boolean {
  if (ready) return false;
  setFlagsFromString('--liftoff-only');
  return true;
}

function loaded(): PgQueryModule {
  if (!wasm) throw new Error('the SQL parser is not loaded: await initParser() first');
  return wasm;
}

/** Copies `text` into WASM memory as a NUL-terminated UTF-8 string. */
function toWasm(m: PgQueryModule, text: string): number {
  const size = Buffer.byteLength(text, 'utf8');
  const ptr = m._malloc(size + 1);
  encoder.encodeInto(text, m.HEAPU8.subarray(ptr, ptr + size));
  m.HEAPU8[ptr + size] = 0;
  return ptr;
}

/** The NUL-terminated UTF-8 string at `ptr`. */
function fromWasm(m: PgQueryModule, ptr: number): string {
  // Read the view after the call: the heap may have grown (and been replaced) during it.
  const heap = m.HEAPU8;
  const end = heap.indexOf(0, ptr);
  return decoder.decode(heap.subarray(ptr, end === -1 ? heap.length : end));
}

/** Parses SQL into PostgreSQL's parse tree (JSON form). Throws SqlError when it does not parse. */
export function parseSync(text: string): ParseResult {
  const m = loaded();
  if (text === '') throw new Error('Query cannot be empty');
  const query = toWasm(m, text);
  let result = 0;
  try {
    result = m._wasm_parse_query_raw(query);
    if (!result) throw new Error('Failed to parse query: memory allocation failed');
    const tree = m.getValue(result, 'i32');
    const error = m.getValue(result + 8, 'i32');
    if (error) {
      const at = (offset: number): string | undefined => { const p = m.getValue(error + offset, 'i32'); return p ? fromWasm(m, p) : undefined; };
      const message = at(0) ?? 'Unknown error';
      const line = m.getValue(error + 12, 'i32');
      const cursor = m.getValue(error + 16, 'i32');
      throw new SqlError(message, { message, cursorPosition: cursor > 0 ? cursor - 1 : 0, functionName: at(4), fileName: at(8), lineNumber: line > 0 ? line : undefined });
    }
    if (!tree) throw new Error('No parse tree generated');
    return JSON.parse(fromWasm(m, tree)) as ParseResult;
  } finally {
    m._free(query);
    if (result) m._wasm_free_parse_result(result);
  }
}

/**
 * Calls an export that takes SQL and returns a string it allocated: the string is read and
 * freed, and `check` throws on the error forms it knows.
 */
function callForString(call: (m: PgQueryModule, ptr: number) => number, text: string, check: (out: string) => void): string {
  const m = loaded();
  const query = toWasm(m, text);
  let result = 0;
  try {
    result = call(m, query);
    const out = fromWasm(m, result);
    check(out);
    return out;
  } finally {
    m._free(query);
    if (result) m._wasm_free_string(result);
  }
}

/**
 * PL/pgSQL's own parser over a DO statement or a CREATE FUNCTION ... LANGUAGE plpgsql: the
 * function's tree (statements, conditions and embedded SQL as text). Throws when it does not parse.
 */
export function parsePlpgsqlSync(text: string): { plpgsql_funcs?: { PLpgSQL_function?: Record<string, unknown> }[] } {
  // Success is a JSON object; anything else is the error message.
  const out = callForString((m, p) => m._wasm_parse_plpgsql(p), text, (o) => { if (!o.startsWith('{')) throw new Error(o); });
  return JSON.parse(out) as { plpgsql_funcs?: { PLpgSQL_function?: Record<string, unknown> }[] };
}

/** PostgreSQL's scanner: the tokens of `text` with UTF-8 byte offsets. */
export function scanSync(text: string): { version?: number; tokens: ScanToken[] } {
  const out = callForString((m, p) => m._wasm_scan(p), text, (o) => {
    if (o.startsWith('syntax error') || o.startsWith('deparse error') || o.startsWith('ERROR')) throw new Error(o);
  });
  return JSON.parse(out) as { version?: number; tokens: ScanToken[] };
}
