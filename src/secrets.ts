/**
 * Secrets the process knows of (database passwords from a URL, PGPASSWORD, a passfile) and
 * their removal from any text that leaves the library. Every message that can carry a driver's
 * or a server's words passes through `redact` before it is printed or returned.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const known = new Set<string>();

/** Query parameters of a connection URL whose value is a secret. */
const SECRET_PARAMS = ['password', 'sslpassword'];

/** Remembers a secret so that `redact` removes it (and its URL-encoded form) from every text. */
export function registerSecret(secret: string | undefined | null): void {
  if (!secret || secret.length < 1) return;
  known.add(secret);
  try {
    const enc = encodeURIComponent(secret);
    if (enc !== secret) known.add(enc);
  } catch { /* a lone surrogate: only the raw form */ }
}

function decoded(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

/** The passwords in a pgpass file (host:port:db:user:password, `\:` and `\\` escaped). */
function passfileSecrets(path: string): string[] {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch { return []; }
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const fields: string[] = [];
    let cur = '';
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (ch === '\\' && i + 1 < line.length) { cur += line[++i]; continue; }
      if (ch === ':' && fields.length < 4) { fields.push(cur); cur = ''; continue; }
      cur += ch;
    }
    if (fields.length === 4 && cur) out.push(cur.replace(/\r$/, ''));
  }
  return out;
}

/**
 * Registers every secret a connection URL carries or leads the driver to: the user-info
 * password, `password`/`sslpassword` query parameters, PGPASSWORD, and the passwords of the
 * passfile the driver would read (`passfile` parameter, PGPASSFILE or ~/.pgpass).
 */
export function registerUrlSecrets(url: string | undefined): void {
  registerSecret(process.env.PGPASSWORD);
  let passfile = process.env.PGPASSFILE ?? join(homedir(), '.pgpass');
  if (url) {
    try {
      const u = new URL(url);
      if (u.password) { registerSecret(u.password); registerSecret(decoded(u.password)); }
      for (const p of SECRET_PARAMS) for (const v of u.searchParams.getAll(p)) registerSecret(v);
      passfile = u.searchParams.get('passfile') ?? passfile;
    } catch {
      // Not a WHATWG URL (a libpq key=value string, or malformed): take password=... pairs.
      for (const m of url.matchAll(/(?:^|[\s&?])(?:ssl)?password=('(?:[^'\\]|\\.)*'|[^\s&]+)/g)) {
        registerSecret(m[1]!.replace(/^'|'$/g, ''));
      }
    }
  }
  for (const s of passfileSecrets(passfile)) registerSecret(s);
}

/** The text with every known secret replaced by `***`. */
export function redact(text: string): string {
  if (!known.size || !text) return text;
  let out = text;
  for (const s of [...known].sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
  return out;
}

/** A deep copy of a JSON-like value with every string redacted. */
export function redactDeep<T>(value: T): T {
  if (!known.size) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/** A connection URL fit to print: no user-info password, no secret query parameter. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const p of SECRET_PARAMS) if (u.searchParams.has(p)) u.searchParams.set(p, '***');
    return redact(u.toString());
  } catch {
    return 'the database URL';
  }
}
