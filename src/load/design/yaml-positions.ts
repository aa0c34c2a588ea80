/** Parses YAML (or JSON, a subset) keeping the position of every node by JSON-pointer path. */
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Node as YNode } from 'yaml';
import type { Loc } from '../../types.js';

export interface PositionedDocument {
  readonly value: unknown;
  /** `/invariants/0/enforced_by` -> where its value starts. */
  readonly valueAt: Map<string, Loc>;
  /** `/invariants/0/enforced_by` -> where its key starts (for unknown-key messages). */
  readonly keyAt: Map<string, Loc>;
  readonly errors: { message: string; loc: Loc }[];
}

export function escapePointer(seg: string | number): string {
  return String(seg).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function parseWithPositions(file: string, text: string): PositionedDocument {
  const lineCounter = new LineCounter();
  // The library's own duplicate-key check is quadratic in the size of a mapping; ours is a Set.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const duplicates: { message: string; loc: Loc }[] = [];
  const loc = (offset: number | undefined): Loc => {
    const p = lineCounter.linePos(offset ?? 0);
    return { file, line: p.line, column: p.col };
  };
  const valueAt = new Map<string, Loc>();
  const keyAt = new Map<string, Loc>();
  const visit = (node: unknown, path: string, depth: number): void => {
    if (depth > 200) return;
    const n = node as YNode | null;
    if (!n) return;
    if (n.range) valueAt.set(path, loc(n.range[0]));
    if (isMap(n)) {
      const seen = new Set<string>();
      for (const item of n.items) {
        if (!isPair(item)) continue;
        const k = isScalar(item.key) ? String(item.key.value) : String(item.key);
        if (seen.has(k)) {
          const kr = (item.key as YNode | null)?.range;
          duplicates.push({ message: `Map keys must be unique: "${k}" is written twice`, loc: loc(kr?.[0]) });
        }
        seen.add(k);
        const childPath = `${path}/${escapePointer(k)}`;
        const keyNode = item.key as YNode | null;
        if (keyNode?.range) keyAt.set(childPath, loc(keyNode.range[0]));
        if (item.value) visit(item.value, childPath, depth + 1);
        else if (keyNode?.range) valueAt.set(childPath, loc(keyNode.range[0]));
      }
    } else if (isSeq(n)) {
      n.items.forEach((item, i) => visit(item, `${path}/${i}`, depth + 1));
    }
  };
  visit(doc.contents, '', 0);
  const errors = [...duplicates, ...[...doc.errors, ...doc.warnings.filter((w) => w.code !== 'TAG_RESOLVE_FAILED')].map((e) => {
    const open = e.code === 'MISSING_CHAR' && /closing .?quote/i.test(e.message) ? openingQuote(doc, e.pos?.[0]) : undefined;
    if (open !== undefined) return { message: `unclosed quote: the ${text[open]} at ${loc(open).line}:${loc(open).column} is never closed`, loc: loc(open) };
    return { message: e.message.split('\n')[0]!, loc: loc(e.pos?.[0]) };
  })];
  let value: unknown = null;
  if (doc.errors.length === 0 && duplicates.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      errors.push({ message: e instanceof Error ? e.message : String(e), loc: loc(0) });
    }
  }
  return { value, valueAt, keyAt, errors };
}

/**
 * Where the quoted scalar that runs to `end` opens: the library reports a missing closing quote
 * at the end of the file, which is no place to look for it.
 */
function openingQuote(doc: Document, end: number | undefined): number | undefined {
  if (end === undefined) return undefined;
  let found: number | undefined;
  visit(doc, {
    Scalar(_key, n) {
      if ((n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE') && n.range && n.range[1] >= end - 1 && n.range[0] <= end) found = n.range[0];
    },
  });
  return found;
}

/** The position of `path`, or of its nearest ancestor that has one. */
export function positionOf(doc: PositionedDocument, path: string, file: string): Loc {
  let p = path;
  for (;;) {
    const found = doc.valueAt.get(p);
    if (found) return found;
    if (p === '') return { file, line: 1, column: 1 };
    p = p.slice(0, p.lastIndexOf('/'));
  }
}
