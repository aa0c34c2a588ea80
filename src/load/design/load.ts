/** Finds and loads a design file; never throws on bad input. */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Loc } from '../../types.js';
import { readRegularFile } from '../read.js';
import type { Design } from './types.js';
import { escapePointer, type PositionedDocument, parseWithPositions, positionOf } from './yaml-positions.js';
import { type DesignProblem, validateDesign } from './validate.js';

export const MAX_DESIGN_BYTES = 16 * 1024 * 1024;

export interface LoadedDesign {
  readonly file: string;
  readonly dir: string;
  /** The design as written; undefined when the file could not be read or parsed at all. */
  readonly design: Design | undefined;
  readonly doc: PositionedDocument | undefined;
  readonly problems: DesignProblem[];
  /** Where a path in the design is written (its nearest written ancestor when absent). */
  at(path: string): Loc;
  /** Where a key of the design is written, or its value. */
  keyAt(path: string): Loc;
}

/** `design.yaml`, `design.yml` or `design.json` in a folder, or the file itself. */
export function findDesignFile(target: string): string | undefined {
  const abs = resolve(target);
  if (existsSync(abs) && statSync(abs).isFile()) return abs;
  for (const name of ['design.yaml', 'design.yml', 'design.json']) {
    const p = join(abs, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function loadDesignFile(file: string): LoadedDesign {
  const fallback = (problems: DesignProblem[]): LoadedDesign => ({
    file, dir: dirname(file), design: undefined, doc: undefined, problems,
    at: () => ({ file, line: 1, column: 1 }),
    keyAt: () => ({ file, line: 1, column: 1 }),
  });
  const read = readRegularFile(file, MAX_DESIGN_BYTES);
  if (!read.ok) return fallback([{ messageId: 'unreadable', message: `the design file ${file} ${read.message}`, loc: { file, line: 1, column: 1 }, path: '' }]);
  return loadDesignText(file, read.text);
}

export function loadDesignText(file: string, text: string): LoadedDesign {
  const doc = parseWithPositions(file, text);
  const problems: DesignProblem[] = doc.errors.map((e) => ({ messageId: 'yaml-syntax', message: e.message, loc: e.loc, path: '' }));
  let design: Design | undefined;
  let kept = new Map<string, number[]>();
  if (doc.errors.length === 0) {
    if (doc.value === null || typeof doc.value !== 'object' || Array.isArray(doc.value)) {
      problems.push({ messageId: 'wrong-type', message: 'a design file holds a mapping of sections (design:, kind:, ...)', loc: { file, line: 1, column: 1 }, path: '' });
    } else {
      problems.push(...validateDesign(doc, file));
      ({ design, kept } = sanitize(doc.value as Record<string, unknown>, problems));
    }
  }
  return {
    file, dir: dirname(file), design, doc, problems,
    at: (path) => positionOf(doc, originalPath(path, kept), file),
    keyAt: (path) => { const p = originalPath(path, kept); return doc.keyAt.get(p) ?? positionOf(doc, p, file); },
  };
}

/**
 * The pointer of what is dropped for a malformed value at `path`: the innermost list item that
 * holds it, else the entity, else the top-level section.
 */
function unitOf(root: unknown, path: string): string[] {
  const segs = path.split('/').slice(1).map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~'));
  let cut = 1;
  let v: unknown = root;
  for (let i = 0; i < segs.length; i++) {
    if (Array.isArray(v) || (i === 1 && segs[0] === 'entities')) cut = i + 1;
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[segs[i]!] : undefined;
  }
  return segs.slice(0, cut);
}

interface DropTree { drop: boolean; children: Map<string, DropTree> }

/** A copy of `v` without the dropped parts (containers copied only along dropped paths); `kept` records list indices. */
function without(v: unknown, tree: DropTree, pointer: string, kept: Map<string, number[]>): unknown {
  if (Array.isArray(v)) {
    const indices: number[] = [];
    const out: unknown[] = [];
    v.forEach((item, i) => {
      const t = tree.children.get(String(i));
      if (t?.drop) return;
      indices.push(i);
      out.push(t ? without(item, t, `${pointer}/${i}`, kept) : item);
    });
    kept.set(pointer, indices);
    return out;
  }
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  for (const [k, t] of tree.children) {
    if (!(k in out)) continue;
    if (t.drop) delete out[k];
    else out[k] = without(out[k], t, `${pointer}/${escapePointer(k)}`, kept);
  }
  return out;
}

/**
 * Drops the parts of a design whose shape is wrong, so that the checks reading them never see a
 * wrong type: each such part already has a finding with its location. Dropped list items shift
 * the later ones; `kept` maps their indices back for locations.
 */
function sanitize(value: Record<string, unknown>, problems: DesignProblem[]): { design: Design; kept: Map<string, number[]> } {
  const root: DropTree = { drop: false, children: new Map() };
  for (const p of problems) {
    if (!p.malformed) continue;
    let t = root;
    for (const seg of unitOf(value, p.path)) {
      if (t.drop) break;
      let c = t.children.get(seg);
      if (!c) { c = { drop: false, children: new Map() }; t.children.set(seg, c); }
      t = c;
    }
    t.drop = true;
  }
  const kept = new Map<string, number[]>();
  return { design: without(value, root, '', kept) as Design, kept };
}

/** A path written with the indices of the sanitized design, in the indices of the file. */
function originalPath(path: string, kept: ReadonlyMap<string, number[]>): string {
  if (!kept.size) return path;
  let out = '';
  for (const seg of path.split('/').slice(1)) {
    const map = kept.get(out);
    out += `/${map && /^\d+$/.test(seg) ? map[Number(seg)] ?? seg : seg}`;
  }
  return out;
}
